package review_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
)

func TestBuiltinFrameworks(t *testing.T) {
	fs, err := review.NewFrameworks()
	require.NoError(t, err)
	assert.Equal(t, []review.FrameworkID{"enquiry", "ofsted-2019", "ofsted-2025", "peer-review"}, fs.IDs())

	renewed, err := fs.Get(review.FrameworkOfsted2025)
	require.NoError(t, err)
	var evals []partnership.EvaluationArea
	for _, a := range renewed.Areas {
		if a.Evaluation != partnership.AreaUnknown {
			evals = append(evals, a.Evaluation)
		}
	}
	assert.Equal(t, partnership.EvaluationAreas(), evals, "every evaluation area of the renewed framework")
	require.NoError(t, renewed.CheckEstimate("inclusion", "strong-standard"))
	require.NoError(t, renewed.CheckEstimate("safeguarding", "met"))
	assert.ErrorIs(t, renewed.CheckEstimate("safeguarding", "exceptional"), review.ErrInvalid)
	sf, _ := renewed.Area("sixth-form")
	assert.True(t, sf.Conditional)

	peer, _ := fs.Get(review.FrameworkPeerReview)
	assert.Equal(t, []string{"leading", "effective", "working-towards-effective", "ineffective"}, peer.Scale.Grades)
	assert.Equal(t, 1, peer.Scale.Rank("leading"))
	enquiry, _ := fs.Get(review.FrameworkEnquiry)
	assert.False(t, enquiry.Scale.Graded())
	require.NoError(t, enquiry.CheckEstimate("learning", ""))
	assert.ErrorIs(t, enquiry.CheckEstimate("learning", "good"), review.ErrInvalid)
	old, _ := fs.Get(review.FrameworkOfsted2019)
	assert.Equal(t, 4, len(old.Scale.Grades))

	_, err = fs.Get("nope")
	assert.ErrorIs(t, err, review.ErrNotFound)
}

func TestParseFramework(t *testing.T) {
	src := `id: trust-qa
name: Trust quality assurance
scale:
  grades: [secure, developing, not-yet-secure]
areas:
  - id: reading
    name: Early reading
    evaluation: curriculum-and-teaching
  - id: safeguarding
    scale: {grades: [met, not-met]}
  - id: sixth
    conditional: true
    questions: ["What do students say?"]
`
	f, err := review.ParseFramework("qa.yaml", []byte(src))
	require.NoError(t, err)
	assert.Equal(t, review.FrameworkID("trust-qa"), f.ID)
	require.Len(t, f.Areas, 3)
	assert.Equal(t, partnership.AreaCurriculumAndTeaching, f.Areas[0].Evaluation)
	require.NoError(t, f.CheckEstimate("safeguarding", "not-met"))
	require.NoError(t, f.CheckEstimate("reading", "developing"))
	fs, err := review.NewFrameworks(*f)
	require.NoError(t, err)
	_, err = fs.Get("trust-qa")
	require.NoError(t, err)
}

func TestParseFrameworkErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax", "id: [x\n", "f.yaml:2:1: did not find expected ',' or ']'"},
		{"empty", "", "f.yaml:1:1: empty framework file"},
		{"all at once", `id: x
colour: red
scale:
  grades: [a, a]
areas:
  - id: one
    evaluation: cooking
    conditional: maybe
  - id: one
  - name: nameless
`, `f.yaml:2:1: colour: unknown key
f.yaml:4:15: scale.grades[]: grade "a" is empty or repeated
f.yaml:7:17: evaluation: unknown evaluation area "cooking" (want one of inclusion, curriculum-and-teaching, achievement, attendance-and-behaviour, personal-development-and-well-being, leadership-and-governance, early-years, sixth-form)
f.yaml:8:18: conditional: want true or false, got "maybe"
f.yaml:9:5: areas[].id: area "one" appears twice
f.yaml:10:5: areas[].id: missing`},
		{"no areas", "id: x\n", "f.yaml:1:1: areas: a framework needs at least one area"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := review.ParseFramework("f.yaml", []byte(tt.src))
			require.Error(t, err)
			assert.True(t, errors.Is(err, review.ErrInvalid))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func FuzzParseFramework(f *testing.F) {
	f.Add([]byte("id: x\nareas:\n  - id: a\n"))
	f.Add([]byte("id: x\nscale: {grades: [a,b]}\nareas: [{id: a, scale: {grades: [c]}}]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		fw, err := review.ParseFramework("f.yaml", src)
		if err == nil {
			require.NoError(t, fw.Validate())
		} else {
			require.ErrorIs(t, err, review.ErrInvalid)
		}
	})
}

// A framework read from a set is the reader's copy: changing its areas,
// scales, grades or questions changes nothing another reader sees.
func TestFrameworksGetReturnsCopies(t *testing.T) {
	fs, err := review.NewFrameworks()
	require.NoError(t, err)
	for _, id := range fs.IDs() {
		t.Run(string(id), func(t *testing.T) {
			want, err := fs.Get(id)
			require.NoError(t, err)
			got, err := fs.Get(id)
			require.NoError(t, err)
			got.Name = "changed"
			got.Areas[0].Name = "changed"
			got.Areas[0].ID = "changed"
			if len(got.Scale.Grades) > 0 {
				got.Scale.Grades[0] = "changed"
			}
			for i := range got.Areas {
				if got.Areas[i].Scale != nil {
					got.Areas[i].Scale.Grades[0] = "changed"
				}
				if len(got.Areas[i].Questions) > 0 {
					got.Areas[i].Questions[0] = "changed"
				}
			}
			got.Areas = append(got.Areas[:0], review.Area{ID: "only"})
			again, err := fs.Get(id)
			require.NoError(t, err)
			assert.Equal(t, want, again, "changing what Get returned changed the set")
			assert.Equal(t, review.Builtin()[slices.IndexFunc(review.Builtin(), func(f review.Framework) bool { return f.ID == id })], *again, "the set no longer holds the built-in")
		})
	}
}

func TestNewFrameworksRefusesReusedIDs(t *testing.T) {
	qa := review.Framework{ID: "trust-qa", Name: "Trust QA", Areas: []review.Area{{ID: "reading"}}}
	own2025 := review.Framework{ID: review.FrameworkOfsted2025, Name: "Our reading of the 2025 framework", Areas: []review.Area{{ID: "inclusion"}}}
	for _, tc := range []struct {
		name  string
		extra []review.Framework
		want  error
	}{
		{"built-in ID", []review.Framework{own2025}, review.ErrConflict},
		{"two user frameworks with one ID", []review.Framework{qa, qa}, review.ErrConflict},
		{"replaces nothing", []review.Framework{{ID: "new", Replaces: true, Areas: []review.Area{{ID: "a"}}}}, review.ErrInvalid},
		{"invalid", []review.Framework{{ID: "bad"}}, review.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs, err := review.NewFrameworks(tc.extra...)
			require.ErrorIs(t, err, tc.want)
			assert.Nil(t, fs)
		})
	}

	// Saying so replaces a built-in, or an earlier user framework.
	own2025.Replaces = true
	qa2 := qa
	qa2.Name, qa2.Replaces = "Trust QA, second edition", true
	fs, err := review.NewFrameworks(own2025, qa, qa2)
	require.NoError(t, err)
	got, _ := fs.Get(review.FrameworkOfsted2025)
	assert.Equal(t, "Our reading of the 2025 framework", got.Name)
	got, _ = fs.Get("trust-qa")
	assert.Equal(t, "Trust QA, second edition", got.Name)

	// The set keeps its own copy of what it was given.
	extra := []review.Framework{{ID: "mine", Areas: []review.Area{{ID: "a", Questions: []string{"q"}}}}}
	fs, err = review.NewFrameworks(extra...)
	require.NoError(t, err)
	extra[0].Areas[0].Questions[0] = "changed"
	got, _ = fs.Get("mine")
	assert.Equal(t, "q", got.Areas[0].Questions[0])
}

func TestParseFrameworkReplaces(t *testing.T) {
	f, err := review.ParseFramework("f.yaml", []byte("id: ofsted-2025\nreplaces: true\nareas:\n  - id: inclusion\n"))
	require.NoError(t, err)
	assert.True(t, f.Replaces)
	_, err = review.NewFrameworks(*f)
	require.NoError(t, err)
	f.Replaces = false
	_, err = review.NewFrameworks(*f)
	require.ErrorIs(t, err, review.ErrConflict)
}
