package pluginconfig

import (
	"fmt"
	"regexp"
	"strconv"
)

// What PyYAML's SafeConstructor refuses in a value its resolver accepted:
// safe_load constructs every value of the file, so one bad date anywhere
// makes the gateway refuse the whole file.

// pyTimestamp is SafeConstructor.timestamp_regexp.
var pyTimestamp = regexp.MustCompile(`^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.[0-9]*)?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$`)

// constructible returns the error safe_load raises constructing n, or nil.
func constructible(n *node) error {
	if n.kind != scalarNode {
		return nil
	}
	at := func(format string, args ...any) error {
		return &Error{Line: n.line, Column: n.column, Msg: fmt.Sprintf(format, args...)}
	}
	switch n.tag {
	case tagValue, tagMerge:
		return at("invalid YAML: a plain %s is the YAML 1.1 tag:yaml.org,2002:%s, which the gateway's YAML loader cannot construct (\"could not determine a constructor for the tag\"): quote it", n.value, n.tag)
	case tagTimestamp:
		if msg := timestampError(n.value); msg != "" {
			return at("invalid YAML: %q reads as a date, and %s, so the gateway's YAML loader refuses the file (ValueError): quote it if it is text, or fix the date", n.value, msg)
		}
	}
	return nil
}

// timestampError is the ValueError Python's datetime raises for s, or "".
func timestampError(s string) string {
	m := pyTimestamp.FindStringSubmatch(s)
	if m == nil {
		return "it is not a date safe_load can read"
	}
	num := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	year, month, day := num(1), num(2), num(3)
	switch {
	case year < 1:
		return fmt.Sprintf("year %d is out of range", year)
	case month < 1 || month > 12:
		return "month must be in 1..12"
	case day < 1 || day > daysIn(year, month):
		return "day is out of range for month"
	case m[4] == "":
		return ""
	case num(4) > 23:
		return "hour must be in 0..23"
	case num(5) > 59:
		return "minute must be in 0..59"
	case num(6) > 59:
		return "second must be in 0..59"
	case m[8] != "" && num(9)*60+num(10) >= 24*60:
		return "its offset is not strictly between -24 and 24 hours"
	}
	return ""
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
