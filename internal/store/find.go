package store

import "gorm.io/gorm"

// domainRow is a table row that maps to a domain value D.
type domainRow[D any] interface{ toDomain() D }

// findFirst runs q for one row of R and returns its domain value: what
// names the query in a wrapped error, missing in the NotFound answer.
func findFirst[D any, R domainRow[D]](q *gorm.DB, what, missing string) (*D, error) {
	row, err := firstRow[R](q, what, missing)
	if err != nil {
		return nil, err
	}
	d := (*row).toDomain()
	return &d, nil
}

// firstRow runs q for one row of R and returns it, for the rows that need
// more than toDomain (their children, or some columns only): what names the
// query in a wrapped error, missing in the NotFound answer.
func firstRow[R any](q *gorm.DB, what, missing string) (*R, error) {
	var rows []R
	if err := q.Limit(1).Find(&rows).Error; err != nil {
		return nil, wrap(err, what)
	}
	if len(rows) == 0 {
		return nil, notFound(missing)
	}
	return &rows[0], nil
}

// findAll runs q for rows of R and returns their domain values in order.
func findAll[D any, R domainRow[D]](q *gorm.DB, what string) ([]D, error) {
	var rows []R
	if err := q.Find(&rows).Error; err != nil {
		return nil, wrap(err, what)
	}
	out := make([]D, len(rows))
	for i, row := range rows {
		out[i] = row.toDomain()
	}
	return out, nil
}

// keysOf is the key of each of rows, in order: the ids a query's IN takes
// to load what belongs to them.
func keysOf[R any](rows []R, key func(R) string) []string {
	ids := make([]string, len(rows))
	for i, row := range rows {
		ids[i] = key(row)
	}
	return ids
}
