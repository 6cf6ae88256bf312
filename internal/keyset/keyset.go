// Package keyset is the services' side of keyset (cursor) paging: a service
// asks its repository for one row more than the page, and that extra row
// tells whether another page follows without counting the rows.
package keyset

// Cut keeps the first want of rows, fetched with a limit of want+1, and
// returns the cursor of the next page, made from the last row kept, or nil
// when rows held no more than want (the last page).
func Cut[T, C any](rows []T, want int, cursor func(T) C) ([]T, *C) {
	if len(rows) <= want {
		return rows, nil
	}
	rows = rows[:want]
	next := cursor(rows[want-1])
	return rows, &next
}

// Page reads one page of rows through read and cuts it as Cut does. want is
// the page size asked for, def the one used when want is not in 1..max;
// read is given how many rows to read, one more than the page.
func Page[T, C any](want, def, max int, read func(limit int) ([]T, error), cursor func(T) C) ([]T, *C, error) {
	if want <= 0 || want > max {
		want = def
	}
	rows, err := read(want + 1)
	if err != nil {
		return nil, nil, err
	}
	rows, next := Cut(rows, want, cursor)
	return rows, next, nil
}
