package enlace

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
)

// JSONValue writes v as the JSON text of a database column, for the
// driver.Valuer of a type stored as JSON; empty is what a nil v is
// written as ("{}" for a map, "[]" for a list).
func JSONValue(v any, isNil bool, empty string) (driver.Value, error) {
	if isNil {
		return empty, nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// ScanJSON reads the JSON text of a database column into dst, for the
// sql.Scanner of a type stored as JSON; a NULL leaves dst as it is.
func ScanJSON(src, dst any) error {
	var b []byte
	switch v := src.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	case nil:
		return nil
	default:
		return fmt.Errorf("scan JSON column: unexpected %T", src)
	}
	return json.Unmarshal(b, dst)
}
