package sqlstore

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// SchoolRecord is one school with what every domain's store holds about
// it.
type SchoolRecord struct {
	School p.School
	// Memberships are the school's memberships (as member), by ID.
	Memberships []p.Membership
	// Reviews are the school's reviews, by ID.
	Reviews []review.Review
	// Assessments are the school's risk assessments under every policy,
	// newest first (ties by policy).
	Assessments []*riskpolicy.Assessment
}

// SchoolRecord reads a school and its memberships, reviews and risk
// assessments in one query (one round trip to the server), so that they
// agree with each other. An unknown URN is partnership.ErrNotFound. It is
// what the four stores' School, ListMemberships, ListReviews and
// Assessments give, without their paging.
func (s *DB) SchoolRecord(ctx context.Context, urn p.URN) (*SchoolRecord, error) {
	rows, err := s.sql.QueryContext(ctx, s.rebind(`
		SELECT 0, doc FROM schools WHERE urn = ?
		UNION ALL SELECT 1, doc FROM memberships WHERE member = ?
		UNION ALL SELECT 2, doc FROM reviews WHERE school = ?
		UNION ALL SELECT 3, doc FROM risk_assessments WHERE urn = ?`),
		int64(urn), string(urn.OrgID()), int64(urn), int64(urn))
	if err != nil {
		return nil, mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "school record", urn)
	}
	defer rows.Close()
	var (
		r     SchoolRecord
		found bool
	)
	for rows.Next() {
		var (
			kind int
			doc  string
		)
		if err := rows.Scan(&kind, &doc); err != nil {
			return nil, mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "school record", urn)
		}
		switch kind {
		case 0:
			found = true
			err = unmarshal(doc, &r.School)
		case 1:
			r.Memberships = append(r.Memberships, p.Membership{})
			err = unmarshal(doc, &r.Memberships[len(r.Memberships)-1])
		case 2:
			r.Reviews = append(r.Reviews, review.Review{})
			err = unmarshal(doc, &r.Reviews[len(r.Reviews)-1])
		case 3:
			a := &riskpolicy.Assessment{}
			r.Assessments = append(r.Assessments, a)
			err = unmarshal(doc, a)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(ctx, err, p.ErrConflict, p.ErrNotFound, "school record", urn)
	}
	if !found {
		return nil, fmt.Errorf("sqlstore: school record %d: %w", urn, p.ErrNotFound)
	}
	slices.SortFunc(r.Memberships, func(a, b p.Membership) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Reviews, func(a, b review.Review) int { return cmp.Compare(a.ID, b.ID) })
	slices.SortFunc(r.Assessments, func(a, b *riskpolicy.Assessment) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.Policy, b.Policy))
	})
	return &r, nil
}
