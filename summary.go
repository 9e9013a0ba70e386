package nuanxin

import (
	"context"
	"strings"
	"time"
)

// Summary is a 工作总结: written from the records by the summary package,
// edited by the officer in the browser, then exported as .docx, HTML or
// Markdown. The body is a flat list of blocks, the way a 公文 reads: the
// opening paragraph, then "一、…" headings, "（一）…" subheadings and
// paragraphs.
type Summary struct {
	ID         int64          `json:"id"`
	OrgID      int64          `json:"org_id"`
	OrgPath    string         `json:"-"`
	OrgName    string         `json:"org_name"`
	Period     Period         `json:"period"`
	CampaignID int64          `json:"campaign_id,omitempty"`
	Title      string         `json:"title"`
	Author     string         `json:"author"` // 落款: the union's name
	Date       Date           `json:"date"`   // 落款日期
	Blocks     []SummaryBlock `json:"blocks"`
	CreatedAt  time.Time      `json:"created_at"`
	UpdatedAt  time.Time      `json:"updated_at"`
	UpdatedBy  string         `json:"updated_by"`
	Version    int            `json:"version"`
}

// BlockKind is what a block of the body is.
type BlockKind string

const (
	BlockHeading    BlockKind = "h1" // 一、主要工作及成效 (黑体)
	BlockSubheading BlockKind = "h2" // （一）慰问工作 (楷体)
	BlockParagraph  BlockKind = "p"  // body text (仿宋, first-line indent)
)

// SummaryBlock is a heading or a paragraph: text runs, some of them figures that
// link to the list behind them.
type SummaryBlock struct {
	Kind BlockKind `json:"kind"`
	Runs []Run     `json:"runs"`
}

// Run is a piece of text; Href, when set, is the query behind the figure
// (a path of the web UI such as /care?category=illness&…).
type Run struct {
	Text string `json:"text"`
	Href string `json:"href,omitempty"`
}

// Text is the block's plain text.
func (b SummaryBlock) Text() string {
	var sb strings.Builder
	for _, r := range b.Runs {
		sb.WriteString(r.Text)
	}
	return sb.String()
}

// Para builds a paragraph block from runs.
func Para(runs ...Run) SummaryBlock { return SummaryBlock{Kind: BlockParagraph, Runs: runs} }

// Plain is a run without a link; Fig a figure with one.
func Plain(s string) Run        { return Run{Text: s} }
func Fig(s, href string) Run    { return Run{Text: s, Href: href} }
func (s *Summary) Text() string { return SummaryText(s) }

// SummaryText is the whole summary as plain text, one block per line
// (tests and the Markdown writer's check read it).
func SummaryText(s *Summary) string {
	var sb strings.Builder
	sb.WriteString(s.Title)
	sb.WriteByte('\n')
	for _, b := range s.Blocks {
		sb.WriteString(b.Text())
		sb.WriteByte('\n')
	}
	sb.WriteString(s.Author)
	sb.WriteByte('\n')
	if !s.Date.IsZero() {
		sb.WriteString(s.Date.Chinese())
		sb.WriteByte('\n')
	}
	return sb.String()
}

// SummaryFilter selects saved summaries.
type SummaryFilter struct {
	OrgID  int64
	Offset int
	Limit  int
}

// SummaryService keeps the summaries officers saved.
type SummaryService interface {
	// CreateSummary saves a generated summary (needs report.write on its org).
	CreateSummary(ctx context.Context, s *Scope, sum *Summary) error
	// UpdateSummary saves the officer's edits; Version must match.
	UpdateSummary(ctx context.Context, s *Scope, sum *Summary) error
	FindSummary(ctx context.Context, s *Scope, id int64) (*Summary, error)
	FindSummaries(ctx context.Context, s *Scope, f SummaryFilter) ([]*Summary, int, error)
	DeleteSummary(ctx context.Context, s *Scope, id int64) error
}
