// Package reporttest converts documents with the tools a person would
// open them in (LibreOffice, poppler), for the tests of the report writers
// and of the commands that call them.
package reporttest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// NeedTool checks that the commands a test needs are installed. When one
// is missing the test is skipped, except on CI, which installs them.
func NeedTool(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is not installed (CI installs LibreOffice and poppler-utils)", n)
			}
			t.Skipf("%s is not installed", n)
		}
	}
}

// SofficePDF converts a .docx to PDF with LibreOffice in a profile of its
// own, so parallel runs do not share one.
func SofficePDF(t testing.TB, docx []byte) []byte {
	t.Helper()
	NeedTool(t, "soffice")
	dir := t.TempDir()
	in := filepath.Join(dir, "summary.docx")
	if err := os.WriteFile(in, docx, 0o644); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "soffice", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--headless", "--norestore", "--nologo", "--convert-to", "pdf", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "HOME="+home)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "summary.pdf"))
	if err != nil {
		t.Fatalf("soffice made no PDF: %v\n%s", err, out)
	}
	return pdf
}

// DocxText converts a .docx with LibreOffice and returns the PDF's text
// (pdftotext), the way a reader of the document sees it.
func DocxText(t testing.TB, docx []byte) string {
	t.Helper()
	NeedTool(t, "pdftotext")
	pdf := SofficePDF(t, docx)
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
