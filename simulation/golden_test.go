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
// speed (commit 57ad5c9's engine), on amd64.
var golden = map[string]string{
	"region/none":                 "4cf379afc23e57def2630baf75aa29bd85bbfe3dcffe8828155fca2e0ea4480c",
	"region/learning-communities": "ca6c0b8f3697b36d5befdc9eab08c0c5445ae99dbdcf98e68e505e6387638288",
	"region/hub-and-spoke":        "c6b08592e765378bdc48f0adb18b0861858a503366a2a2ea272a8939a83e91a2",
	"region/thematic":             "6ec21d70e9c19895e3fa2a561620e5291016634da327b05df966a994e9af83f6",
	"region/trusts":               "4969294306292ecccc312aaadecc996e27054696d8448faa69609d3033746852",
	"region/alliance":             "59b5ccf1ac258604b504210dc19c37949a375ffb44ffb3f45c3e0c9974cd763a",
	"region/alliance/greedy":      "1218927e32fadf137204ddc82edc198b2136073e500be17e4301ade781a83872",
	"region/thematic/stable":      "cb234468ccfd426920eec6489639125948eae136fd28523a4763c6ffac5e6e59",
	"region/communities/history":  "eda91f72498456457cbab4d4bdb80346c88b4ef6b25a9ca4220092700a14bb9c",
	"region/hub/clock":            "a06d230729ffe102080cd13c2fde807e67648817579c1f7cfece52269560d894",
	"region/trusts/off":           "699bba84ae76e4a82accb1dca6ca42d5f42e207b8e0e17f00e3efcc42903dfe9",
	"region/none/nothing":         "491e1650e98a354ff808f1517ced6408401dc0a35078e7b9ffa0d8c92d6e17d0",
	"generated/alliance":          "602f358ce304d873a8db7273b1702bd300b1705f5eefd493fcedb05567fc3b27",
	"england/trusts":              "f8801b4e5897c49ac872932eca1895b80dea3069879c3ddab507df49acdf06a1",
}
