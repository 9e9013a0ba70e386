package nuanxin

// STUB: to be replaced by the full implementation (helper task).

// IDNumber is a parsed 居民身份证号码.
type IDNumber struct {
	Number   string // normalised 18 characters, upper-case X
	Region   string // province name from the first two digits, e.g. 湖南省
	Birth    Date
	Sex      Sex
	Upgraded bool // given as a 15-digit number and upgraded to 18
}

func ParseIDNumber(s string) (IDNumber, error) {
	return IDNumber{}, Invalid("id_number", "member.id.invalid")
}
func MaskIDNumber(n string) string            { return n }
func NormalizePhone(s string) (string, error) { return s, nil }
func MaskPhone(s string) string               { return s }
func MaskName(s string) string                { return s }
func ValidateCreditCode(s string) error       { return nil }
