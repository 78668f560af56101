package simulation_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/internal/rawdata"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/simulation"
)

// fingerprint is the SHA-256 of everything a run measured: every metric
// (its bits), every school's state every term and every inspection.
func fingerprint(res *simulation.Result) string {
	h := sha256.New()
	var b [8]byte
	put := func(v uint64) {
		binary.LittleEndian.PutUint64(b[:], v)
		h.Write(b[:])
	}
	for _, m := range res.Metrics {
		h.Write([]byte(m))
	}
	for _, row := range res.Terms {
		for _, v := range row {
			put(math.Float64bits(v))
		}
	}
	for _, row := range res.Schools {
		for _, s := range row {
			put(uint64(s.URN))
			put(math.Float64bits(s.Effectiveness))
			put(uint64(s.Level))
			put(uint64(s.Rating))
		}
	}
	for _, in := range res.Inspections {
		put(uint64(in.School))
		put(uint64(in.Term))
		put(uint64(in.Rating))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestReproducible: runs give the bytes they gave when the engine was
// rewritten for speed (the fingerprints were taken before), for every
// structure, strategy and kind of policy (one the engine memoises, one
// reading history, one reading the clock), with interventions on and off.
// Bit-identical results are promised for one architecture: other
// architectures may fuse floating-point operations differently, so the
// fingerprints are checked on amd64.
func TestReproducible(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("fingerprints are taken on amd64, not %s", runtime.GOARCH)
	}
	if raceEnabled {
		// Each run is one goroutine: the race detector has nothing to
		// find here that TestDeterminism does not cover.
		t.Skip("single-threaded and slow under the race detector")
	}
	w := region(t)
	gen := simulation.Generate(simulation.GenerateOptions{Schools: 600, Seed: 3})
	concern, err := riskpolicy.Builtin("ofsted-concern")
	require.NoError(t, err)
	hist, err := simulation.CompileFile("testdata/policies/lab-history.yaml")
	require.NoError(t, err)
	clock, err := simulation.CompileFile("testdata/policies/lab-clock.yaml")
	require.NoError(t, err)
	opts := simulation.StructureOptions{}
	build := func(name string, w *simulation.World) *simulation.Structure {
		st, err := simulation.Build(name, w, opts)
		require.NoError(t, err)
		return st
	}
	cases := []struct {
		name string
		cfg  simulation.Config
	}{}
	add := func(name string, cfg simulation.Config) {
		cfg.Params, cfg.PerSchool, cfg.Inspections = simulation.DefaultParams(), true, true
		if cfg.Terms == 0 {
			cfg.Terms = 9
		}
		cases = append(cases, struct {
			name string
			cfg  simulation.Config
		}{name, cfg})
	}
	for _, st := range simulation.Structures() {
		add("region/"+st, simulation.Config{World: w, Structure: build(st, w), Policy: concern, Strategy: brokerage.Optimal{}, Seed: 7, Replicate: 1})
	}
	add("region/alliance/greedy", simulation.Config{World: w, Structure: build("alliance", w), Policy: concern, Strategy: brokerage.Greedy{}, Seed: 7})
	add("region/thematic/stable", simulation.Config{World: w, Structure: build("thematic", w), Policy: concern, Strategy: brokerage.Stable{}, Seed: 7})
	add("region/communities/history", simulation.Config{World: w, Structure: build("learning-communities", w), Policy: hist, Strategy: brokerage.Optimal{}, Seed: 2})
	add("region/hub/clock", simulation.Config{World: w, Structure: build("hub-and-spoke", w), Policy: clock, Strategy: brokerage.Greedy{}, Seed: 2})
	add("region/trusts/off", simulation.Config{World: w, Structure: build("trusts", w), Policy: concern, Strategy: brokerage.Optimal{}, Seed: 2, NoInterventions: true})
	add("region/none/nothing", simulation.Config{World: w, Seed: 2})
	add("generated/alliance", simulation.Config{World: gen, Structure: build("alliance", gen), Policy: concern, Strategy: brokerage.Optimal{}, Seed: 5, Terms: 30})
	for _, c := range cases {
		res, err := simulation.Run(context.Background(), c.cfg)
		require.NoError(t, err, c.name)
		checkFingerprint(t, c.name, res)
	}
}

// TestReproducibleEngland: the benchmark's replicate of all England gives
// the bytes it gave before the engine was rewritten for speed. Skipped
// without shared/data/raw and under the race detector (one goroutine,
// ten times slower; TestReproducible covers the same code).
func TestReproducibleEngland(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skipf("fingerprints are taken on amd64, not %s", runtime.GOARCH)
	}
	if raceEnabled {
		t.Skip("single-threaded and slow under the race detector")
	}
	if rawdata.Dir(t) == "" {
		t.Skip("shared/data/raw is absent")
	}
	w := englandWorldFor(t)
	pol, err := riskpolicy.Builtin("ofsted-concern")
	require.NoError(t, err)
	res, err := simulation.Run(context.Background(), simulation.Config{World: w, Structure: simulation.Trusts(w), Policy: pol,
		Strategy: brokerage.Optimal{}, Params: simulation.DefaultParams(), Terms: 30, Seed: 1, Replicate: 2, Inspections: true})
	require.NoError(t, err)
	checkFingerprint(t, "england/trusts", res)
}

var printFingerprints = flag.Bool("fingerprints", false, "print the runs' fingerprints for the golden table instead of checking them")

// checkFingerprint compares a run with the golden table. A deliberate
// change of results (of the model, or of review, brokerage or riskpolicy
// that the engine calls) changes fingerprints: re-take them with
// go test -run TestReproducible ./simulation -args -fingerprints, and say
// why in the commit.
func checkFingerprint(t *testing.T, name string, res *simulation.Result) {
	t.Helper()
	got := fingerprint(res)
	if *printFingerprints {
		t.Logf("\t%q: %q,", name, got)
		return
	}
	if want := golden[name]; got != want {
		t.Errorf("%s: fingerprint %s, want %s: the run's results changed (see checkFingerprint)", name, got, want)
	}
}

// golden holds the fingerprints taken before the engine was rewritten for
// speed (commit 57ad5c9's engine), on amd64; the real-data ones re-taken
// when a census FSM percentage of no pupils became unknown instead of 0
// (the generated world's is unchanged).
var golden = map[string]string{
	"region/none":                 "ea13bcacf59ad0550575558c14be9ae88e5e514d7fb67310491e41a83c413ee7",
	"region/learning-communities": "e01e980444e664687ef8601c4c3350beba2ad90331a93c44d2e52e7aa2342934",
	"region/hub-and-spoke":        "06d4289472157cafc3fa0b1ee9fda497c49e5233baccf799c32eca9f378ee79c",
	"region/thematic":             "2b80c918e143c1b4c19537bbe37b0159f41ea977994f87e77d1e3254a3ee501c",
	"region/trusts":               "6dd83fa5b049dca39012e7583e22496f681bac12ed0e9cbd7bab9061272d53eb",
	"region/alliance":             "d7d5230a9c3db6bc0074e2028f6fb8477850a1b5270ce9a6ea0c4c3b0644298d",
	"region/alliance/greedy":      "39254489c8969d7623e6650fd8f7944aa460f2e05c50b41f467df5ba34abc451",
	"region/thematic/stable":      "fe56e5fcdf1dd7babf97ca71be24328539f94f5bae26c7ccb6284dd70ea5f7ac",
	"region/communities/history":  "ee39121c50b5bec918c98c0642bef7fed503902c0198541e8859905431d092fd",
	"region/hub/clock":            "3211cc0a4d43df2a10c2b45093949f7a9f7d7c0e51cf0f03ee2429d94746c9f0",
	"region/trusts/off":           "1f8fc778ddd586ae8f335fadf1be0605cad5fcaec163ccd3a1c60174020b190a",
	"region/none/nothing":         "499b6bd17728b8c6fafbb0f26bfbaa102d35b8154d5bd7fd64adfb89c998f511",
	"generated/alliance":          "602f358ce304d873a8db7273b1702bd300b1705f5eefd493fcedb05567fc3b27",
	"england/trusts":              "87a1d0dfe41f1b190c286b468ddeaac8165bbfed1d1f28cc40ffaa539487c664",
}
