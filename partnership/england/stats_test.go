package england_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"io"
	"io/fs"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
)

// handCount is an independent count of the Stats definitions, straight
// from the CSV files with encoding/csv and nothing of package england.
type handCount struct {
	Schools        int
	ByPhase        map[string]int
	Trusts         int
	SchoolsInTrust int
	Largest        []england.TrustSize
}

// readCSV reads the one file in fsys whose name starts with prefix, as
// records keyed by header name.
func readCSV(t *testing.T, fsys fs.FS, prefix string) []map[string]string {
	t.Helper()
	entries, err := fs.ReadDir(fsys, ".")
	require.NoError(t, err)
	var name string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			name = e.Name()
		}
	}
	require.NotEmpty(t, name, "no file %s* in the data", prefix)
	data, err := fs.ReadFile(fsys, name)
	require.NoError(t, err)
	if strings.HasSuffix(name, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		require.NoError(t, err)
		data, err = io.ReadAll(zr)
		require.NoError(t, err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// wholeNumber reads "123456" or R's "1e+05".
func wholeNumber(t *testing.T, s string) int {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err, s)
	return int(f)
}

// handFiles are the three files the Stats definitions read.
type handFiles struct{ census, groups, links []map[string]string }

func readHandFiles(t *testing.T, fsys fs.FS) handFiles {
	return handFiles{
		census: readCSV(t, fsys, "spc_school_level_underlying_data"),
		groups: readCSV(t, fsys, "gias_allgroupsdata"),
		links:  readCSV(t, fsys, "gias_alllinksdata"),
	}
}

func countByHand(t *testing.T, f handFiles, la string) handCount {
	census, groups, links := f.census, f.groups, f.links

	openMAT, openTrust := map[string]bool{}, map[string]bool{}
	name, id := map[string]string{}, map[string]string{}
	for _, g := range groups {
		name[g["Group UID"]], id[g["Group UID"]] = g["Group Name"], g["Group ID"]
		if g["Group Status"] != "Open" {
			continue
		}
		switch g["Group Type"] {
		case "Multi-academy trust":
			openMAT[g["Group UID"]], openTrust[g["Group UID"]] = true, true
		case "Single-academy trust":
			openTrust[g["Group UID"]] = true
		}
	}
	trustURNs := map[int]bool{}
	rows := map[string]int{}
	for _, l := range links {
		if openTrust[l["Group UID"]] {
			trustURNs[wholeNumber(t, l["URN"])] = true
		}
		if la != "" && !strings.EqualFold(l["LA (name)"], la) {
			continue
		}
		if openMAT[l["Group UID"]] {
			rows[l["Group UID"]]++
		}
	}
	h := handCount{ByPhase: map[string]int{}, Trusts: len(rows)}
	for _, c := range census {
		if la != "" && !strings.EqualFold(c["la_name"], la) {
			continue
		}
		if !strings.HasPrefix(c["phase_type_grouping"], "State-funded") {
			continue
		}
		h.Schools++
		h.ByPhase[c["phase_type_grouping"]]++
		if trustURNs[wholeNumber(t, c["urn"])] {
			h.SchoolsInTrust++
		}
	}
	for uid, n := range rows {
		h.Largest = append(h.Largest, england.TrustSize{Name: name[uid], ID: id[uid], Count: n})
	}
	sort.Slice(h.Largest, func(i, j int) bool {
		a, b := h.Largest[i], h.Largest[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
	if len(h.Largest) > 10 {
		h.Largest = h.Largest[:10]
	}
	if h.Largest == nil {
		h.Largest = []england.TrustSize{}
	}
	return h
}

// phaseNames maps the census phase groupings to Stats.ByPhase's keys.
var phaseNames = map[string]partnership.Phase{
	"State-funded primary":        partnership.PhasePrimary,
	"State-funded secondary":      partnership.PhaseSecondary,
	"State-funded special school": partnership.PhaseSpecial,
	"State-funded nursery":        partnership.PhaseNursery,
	"State-funded AP school":      partnership.PhaseAlternativeProvision,
}

// TestStatsByHand checks Stats against the hand count, on the full England
// files when they are present and always on the embedded ones.
func TestStatsByHand(t *testing.T) {
	type data struct {
		name string
		fsys fs.FS
		load func() (*england.Result, error)
		las  []string
	}
	sets := []data{{
		name: "embedded",
		fsys: england.EmbeddedFS(),
		load: func() (*england.Result, error) { return england.LoadEmbedded(context.Background()) },
		las:  []string{"", "Leeds", "kirklees", "York", "North East Lincolnshire"},
	}}
	if dir := rawdata.Dir(t); dir != "" {
		sets = append(sets, data{
			name: "england",
			fsys: os.DirFS(dir),
			load: func() (*england.Result, error) { return england.Load(context.Background(), dir, nil) },
			las:  []string{"", "Leeds", "Birmingham", "City of London", "Isles of Scilly", "Kent", "Cornwall"},
		})
	}
	for _, set := range sets {
		r, err := set.load()
		require.NoError(t, err)
		files := readHandFiles(t, set.fsys)
		for _, la := range set.las {
			t.Run(set.name+"/"+la, func(t *testing.T) {
				got, err := r.Stats(la)
				require.NoError(t, err)
				want := countByHand(t, files, la)
				byPhase := map[partnership.Phase]int{}
				for pg, n := range want.ByPhase {
					p, ok := phaseNames[pg]
					require.True(t, ok, pg)
					byPhase[p] += n
				}
				assert.Equal(t, la, got.LA)
				if diff := cmp.Diff(want, handCount{
					Schools: got.Schools, ByPhase: want.ByPhase, Trusts: got.Trusts,
					SchoolsInTrust: got.SchoolsInTrust, Largest: got.LargestTrusts,
				}); diff != "" {
					t.Errorf("Stats(%q) mismatch (-hand +got):\n%s", la, diff)
				}
				if diff := cmp.Diff(byPhase, got.ByPhase); diff != "" {
					t.Errorf("ByPhase mismatch (-hand +got):\n%s", diff)
				}
				if set.name == "england" && la == "" {
					assert.Equal(t, 21980, got.Schools)
					assert.Equal(t, map[partnership.Phase]int{
						partnership.PhasePrimary: 16783, partnership.PhaseSecondary: 3444, partnership.PhaseSpecial: 1035,
						partnership.PhaseNursery: 383, partnership.PhaseAlternativeProvision: 335,
					}, got.ByPhase)
					assert.Equal(t, 9917, got.SchoolsInTrust, "SOURCES.md: in an open MAT or SAT")
					assert.Equal(t, 1366, got.Trusts, "SOURCES.md: 1,366 MATs with members")
				}
			})
		}
	}
}

func TestStatsUnknownLA(t *testing.T) {
	r, err := england.LoadEmbedded(context.Background())
	require.NoError(t, err)
	_, err = r.Stats("Atlantis")
	require.ErrorIs(t, err, partnership.ErrNotFound)
	// By code: Leeds is 383.
	byCode, err := r.Stats("383")
	require.NoError(t, err)
	byName, err := r.Stats("Leeds")
	require.NoError(t, err)
	byCode.LA = byName.LA
	assert.Equal(t, byName, byCode)
}
