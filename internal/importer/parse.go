package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// Row is one data row of a file: its line number (the header is line 1,
// as a spreadsheet numbers it) and its cells.
type Row struct {
	Line  int
	Cells []string
	// Err is a problem with the row as a whole (a broken quote, too few
	// cells), as a message key with its arguments.
	Err *Problem
}

// File is a parsed import file.
type File struct {
	Delimiter rune
	header    *header
	Rows      []Row
	// Unknown lists the headers no column answers to; they are ignored.
	Unknown []string
}

// Problem is one finding about a cell or a row, as a catalogue key and
// its arguments; Column is the column as the file names it, empty for the
// row as a whole.
type Problem struct {
	Column string         `json:"c,omitempty"`
	Key    string         `json:"k"`
	Args   map[string]any `json:"a,omitempty"`
}

// detectDelimiter picks the separator of the header line: the one of
// comma, semicolon (Excel where the decimal mark is a comma) and tab
// that occurs most outside quotes.
func detectDelimiter(text string) rune {
	line, _, _ := strings.Cut(text, "\n")
	counts := map[rune]int{}
	quoted := false
	for _, r := range line {
		switch {
		case r == '"':
			quoted = !quoted
		case !quoted && (r == ',' || r == ';' || r == '\t'):
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// Parse reads the rows of a decoded inventory file (Columns).
func Parse(text string, maxRows int) (*File, error) { return ParseColumns(text, maxRows, Columns) }

// ParseColumns reads the rows of a decoded file with the given columns:
// the header first (missing required columns fail the file before any row
// is read), then every non-blank row, at most maxRows of them. Other bulk
// loads (numbers) read their files with it.
func ParseColumns(text string, maxRows int, columns []Column) (*File, error) {
	f := &File{Delimiter: detectDelimiter(text)}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = f.Delimiter
	r.FieldsPerRecord = -1
	rec, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fileError("importer.error.empty")
	} else if err != nil {
		return nil, fileError("importer.error.header", "Line", 1)
	}
	if f.header, err = readHeader(rec, columns); err != nil {
		return nil, err
	}
	f.Unknown = f.header.unknown
	width := len(rec)
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			f.Rows = append(f.Rows, Row{Line: pe.StartLine, Err: &Problem{Key: "importer.error.quotes", Args: map[string]any{"Line": pe.Line}}})
		} else if err != nil {
			return nil, err
		} else if blank(rec) {
			continue
		} else {
			line, _ := r.FieldPos(0)
			row := Row{Line: line, Cells: rec}
			if n := len(rec); n < width || n > width && !blank(rec[width:]) {
				row.Err = &Problem{Key: "importer.error.field_count", Args: map[string]any{"Got": n, "Want": width}}
			}
			f.Rows = append(f.Rows, row)
		}
		if len(f.Rows) > maxRows {
			return nil, fileError("importer.error.too_many_rows", "Max", maxRows)
		}
	}
	if len(f.Rows) == 0 {
		return nil, fileError("importer.error.no_rows")
	}
	return f, nil
}

// Cell returns a row's cell of a column, trimmed; "" when the file has no
// such column.
func (f *File) Cell(row Row, col string) string { return f.header.get(row.Cells, col) }

// ColumnName is how the file spells a column, for reports.
func (f *File) ColumnName(col string) string { return f.header.name(col) }

// blank reports whether every cell is empty, as spreadsheets leave rows.
func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
