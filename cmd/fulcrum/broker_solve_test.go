package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fulcrum-edu/fulcrum/flow"
	"github.com/fulcrum-edu/fulcrum/flow/flowgen"
)

// fulcrum-mcf, the lean binary, prints what "fulcrum broker solve" prints,
// byte for byte, with the same exit status, for problems of both shapes,
// both formats, the general solver forced, and failures.
func TestBrokerSolveLeanBinary(t *testing.T) {
	goTool, err := exec.LookPath("go")
	require.NoError(t, err, "the test builds fulcrum-mcf with the go command")
	dir := t.TempDir()
	bin := filepath.Join(dir, "fulcrum-mcf")
	build := exec.Command(goTool, "build", "-o", bin, "../fulcrum-mcf")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	files := map[string]string{}
	write := func(name string, g *flow.Network) {
		var b bytes.Buffer
		require.NoError(t, flow.WriteDIMACS(&b, g))
		files[name] = filepath.Join(dir, name+".min")
		require.NoError(t, os.WriteFile(files[name], b.Bytes(), 0o644))
	}
	write("loose", flowgen.Generate(flowgen.Config{Needs: 500, Providers: 300, Seed: 1}).Network())
	write("tight", flowgen.Generate(flowgen.Config{Needs: 500, Providers: 300, Tight: true, Seed: 2}).Network())
	write("general", flowgen.General(flowgen.GeneralConfig{Nodes: 1000, Seed: 1}))
	files["syntax"] = writeTemp(t, "syntax.min", "p min 2 1\na 1 3 0 1 1\n")
	files["infeasible"] = writeTemp(t, "infeasible.min", "p min 2 1\nn 1 3\nn 2 -3\na 1 2 0 2 1\n")

	for _, name := range []string{"loose", "tight", "general", "syntax", "infeasible"} {
		for _, args := range [][]string{{}, {"--format", "json"}, {"--general"}, {"--general", "--format", "dimacs"}} {
			args := append([]string{"--dimacs", files[name]}, args...)
			t.Run(fmt.Sprint(name, args[2:]), func(t *testing.T) {
				code, out, errOut := brokerRun(t, append([]string{"solve"}, args...)...)
				var stdout, stderr bytes.Buffer
				cmd := exec.Command(bin, args...)
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				leanCode := 0
				if err := cmd.Run(); err != nil {
					var ee *exec.ExitError
					require.True(t, errors.As(err, &ee), "%v", err)
					leanCode = ee.ExitCode()
				}
				assert.Equal(t, code, leanCode, "exit status")
				assert.Equal(t, out, stdout.String(), "standard output")
				// The same message, after each command's own name.
				assert.Equal(t, strings.TrimPrefix(errOut, "fulcrum broker solve: "), strings.TrimPrefix(stderr.String(), "fulcrum-mcf: "))
				if name == "syntax" || name == "infeasible" {
					assert.Equal(t, 1, code)
				} else {
					assert.Equal(t, 0, code, errOut)
					assert.NotEmpty(t, out)
				}
			})
		}
	}
}

// The json format is solveOutput (the type JSON.md documents), exactly as
// writeJSON writes it.
func TestBrokerSolveJSONIsSolveOutput(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, flow.WriteDIMACS(&b, flowgen.General(flowgen.GeneralConfig{Nodes: 300, Seed: 2})))
	p := writeTemp(t, "g.min", b.String())
	code, out, errOut := brokerRun(t, "solve", "--dimacs", p, "--format", "json")
	require.Equal(t, 0, code, errOut)
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var v solveOutput
	require.NoError(t, dec.Decode(&v))
	require.NotEmpty(t, v.Arcs)
	var again bytes.Buffer
	require.NoError(t, writeJSON(&again, v))
	assert.Equal(t, again.String(), out)
}
