package review_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

// Names a spreadsheet would run as formulas are guarded in the files
// WriteReviewers and WriteSchools write (unless Formulas is set), and read
// back unchanged either way.
func TestWriteGuardsFormulas(t *testing.T) {
	names := []string{`=HYPERLINK("http://evil.example","click")`, "@SUM(A1)", "-5 Ways Academy", "'=already guarded", "O'Neil"}
	var schools []review.Reviewee
	var revs []review.Reviewer
	for i, n := range names {
		schools = append(schools, review.Reviewee{URN: partnership.URN(100001 + i), Name: n, Trust: partnership.OrgID(n),
			Phase: partnership.PhasePrimary, FSMPercent: -1})
		revs = append(revs, review.Reviewer{ID: review.ReviewerID(n), Name: n, Trust: partnership.OrgID(n), Capacity: 1})
	}
	for _, formulas := range []bool{false, true} {
		var rb, sb strings.Builder
		opts := &review.WriteOptions{Formulas: formulas}
		require.NoError(t, review.WriteReviewers(&rb, revs, opts))
		require.NoError(t, review.WriteSchools(&sb, schools, opts))
		assert.Equal(t, !formulas, strings.Contains(rb.String(), `"'=HYPERLINK(`), "reviewers guarded: %v", !formulas)
		assert.Equal(t, !formulas, strings.Contains(sb.String(), "'@SUM(A1)"), "schools guarded: %v", !formulas)
		gotR, err := review.ReadReviewers("reviewers.csv", strings.NewReader(rb.String()))
		require.NoError(t, err)
		gotS, err := review.ReadSchools("schools.csv", strings.NewReader(sb.String()))
		require.NoError(t, err)
		if formulas {
			// Unguarded, a cell that looks guarded reads as a
			// spreadsheet shows it.
			const n = "=already guarded"
			revs[3].ID, revs[3].Name, revs[3].Trust = n, n, n
			schools[3].Name, schools[3].Trust = n, n
		}
		assert.Equal(t, revs, gotR, "formulas %v", formulas)
		assert.Equal(t, schools, gotS, "formulas %v", formulas)
	}
}
