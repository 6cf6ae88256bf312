package user

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newsroom-vn/newsroom/internal/apperr"
	"github.com/newsroom-vn/newsroom/internal/textvi"
)

// PasswordPolicy says what a password must be (auth.password_* settings).
type PasswordPolicy struct {
	MinLength int
	MaxLength int
	// Classes is how many of the four character classes (lower-case
	// letters, capitals, digits, symbols) a password needs (1-4).
	Classes int
	// History is how many of the account's passwords, the current one
	// included, a new password may not repeat (0: no check).
	History int
	// MaxAge is how long a password lasts; after it the next login must
	// change it (0: passwords never expire).
	MaxAge time.Duration
}

// commonPasswordsGz is the SecLists top-10,000 list, lower-cased (see
// commonpw/NOTICE.md for its source and licence).
//
//go:embed commonpw/top-10000.txt.gz
var commonPasswordsGz []byte

var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("user: embedded common password list: " + err.Error())
	}
	set := make(map[string]struct{}, 10000)
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[w] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		panic("user: embedded common password list: " + err.Error())
	}
	return set
})

// IsCommonPassword reports whether password is on the embedded list of
// common passwords, ignoring case.
func IsCommonPassword(password string) bool {
	_, ok := commonPasswords()[strings.ToLower(password)]
	return ok
}

// passwordClasses counts the character classes in password: lower-case
// letters, capitals, digits, and anything else (symbols, spaces).
func passwordClasses(password string) int {
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	n := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			n++
		}
	}
	return n
}

// classes is the policy's class count, 3 unless set.
func (p PasswordPolicy) classes() int {
	if p.Classes <= 0 {
		return 3
	}
	return min(p.Classes, 4)
}

// Check validates a new password against the policy. names are the
// account's username and display name: a password may not contain any of
// them that is 3 characters or longer, ignoring case and Vietnamese marks.
func (p PasswordPolicy) Check(password string, names ...string) error {
	n := utf8.RuneCountInString(password)
	if n < p.MinLength {
		return refused(apperr.InvalidField("password", "user.password_too_short", p.MinLength))
	}
	max := p.MaxLength
	if max == 0 {
		max = 256
	}
	if n > max {
		return refused(apperr.InvalidField("password", "user.password_too_long", max))
	}
	if passwordClasses(password) < p.classes() {
		return refused(apperr.InvalidField("password", "user.password_classes", p.classes()))
	}
	distinct := map[rune]bool{}
	for _, r := range password {
		distinct[r] = true
	}
	if len(distinct) < 4 {
		return refused(apperr.InvalidField("password", "user.password_too_simple"))
	}
	if IsCommonPassword(password) {
		return refused(apperr.InvalidField("password", "user.password_common"))
	}
	folded := textvi.Fold(password)
	for _, name := range names {
		for _, v := range nameVariants(name) {
			if utf8.RuneCountInString(v) >= 3 && strings.Contains(folded, v) {
				return refused(apperr.InvalidField("password", "user.password_contains_name"))
			}
		}
	}
	return nil
}

// refused is a refused password's error with the rule as its reason, the
// API's error.code (key user.password_classes: password_classes).
func refused(e *apperr.Error) error { return e.WithReason(strings.TrimPrefix(e.Key, "user.")) }

// nameVariants are the folded forms of a name a password may not contain:
// as written, and without its spaces ("Nguyễn Văn An": "nguyen van an",
// "nguyenvanan").
func nameVariants(name string) []string {
	f := strings.TrimSpace(textvi.Fold(name))
	if f == "" {
		return nil
	}
	out := []string{f}
	if joined := strings.Join(strings.Fields(f), ""); joined != f {
		out = append(out, joined)
	}
	return out
}

// Text is the policy in words, in lang (vi or en), for the forms and the API.
func (p PasswordPolicy) Text(lang string) string {
	parts := []string{apperr.T("user.policy_text_length", p.MinLength, p.classes()).Text(lang)}
	if p.History > 0 {
		parts = append(parts, apperr.T("user.policy_text_history", p.History).Text(lang))
	}
	if days := p.MaxAgeDays(); days > 0 {
		parts = append(parts, apperr.T("user.policy_text_max_age", days).Text(lang))
	}
	return strings.Join(parts, " ")
}

// MaxAgeDays is MaxAge in whole days (0: no expiry).
func (p PasswordPolicy) MaxAgeDays() int { return int(p.MaxAge / (24 * time.Hour)) }

// Expired reports whether a password set at changed has outlived MaxAge at now.
// An account without a recorded change time is never expired.
func (p PasswordPolicy) Expired(changed *time.Time, now time.Time) bool {
	return p.MaxAge > 0 && changed != nil && !now.Before(changed.Add(p.MaxAge))
}
