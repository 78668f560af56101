package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every CSV file the tool reads refuses a header that names a column
// twice (whatever the case, spaces or underscores), naming the file, the
// line and both columns: a lookup by name would otherwise pick one of them
// silently.
func TestRepeatedHeaderRefusedEverywhere(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	offers := write("offers.csv", "id,provider,areas,capacity\no1,Hub,maths,2\n")
	synth := filepath.Join(dir, "synth")
	if code, _, errOut := runCmd(t, "risk", "synth", "--out", synth, "--periods", "1"); code != 0 {
		t.Fatal(errOut)
	}
	ofsted := filepath.Join(dir, "england")
	if err := os.Mkdir(ofsted, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"review schools", []string{"review", "allocate", "--schools", write("schools.csv", "urn,phase,URN\n100000,primary,100001\n")},
			`schools.csv:1:3: URN: repeated header name: columns 1 "urn" and 3 "URN" have the same name`},
		{"review reviewers", []string{"review", "allocate", "--reviewers", write("reviewers.csv", "id,capacity,Capacity\nr1,1,2\n")},
			`reviewers.csv:1:3: Capacity: repeated header name: columns 2 "capacity" and 3 "Capacity" have the same name`},
		{"broker needs", []string{"broker", "match", "--needs", write("needs.csv", "id,area,priority,key stages,key_stages\n"), "--offers", offers},
			`needs.csv:1:5: key_stages: repeated header name: columns 4 "key stages" and 5 "key_stages" have the same name`},
		{"broker offers", []string{"broker", "match", "--needs", write("needs2.csv", "id,area,priority\nn1,maths,3\n"), "--offers",
			write("offers2.csv", "id,provider,areas,capacity,ID\n")},
			`offers2.csv:1:5: ID: repeated header name: columns 1 "id" and 5 "ID" have the same name`},
		{"risk overrides", []string{"risk", "eval", "builtin:ofsted-concern", "--data", synth, "--overrides",
			write("overrides.csv", "policy,urn,level,by,reason,at,expires,Reason\n")},
			`overrides.csv:1:8: Reason: repeated header name: columns 5 "reason" and 8 "Reason" have the same name`},
		{"risk indicators", []string{"risk", "eval", "builtin:ofsted-concern", "--indicators", write("ind2.csv", "urn,name,URN\n")},
			"repeated header name"},
		{"england extract", []string{"england", "load", "--data", ofsted}, "repeated header name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name == "england extract" {
				write(filepath.Join("england", "ofsted.csv"), "URN,Rating,Inspection Date,urn\n100000,Good,20130418,1\n")
			}
			code, _, errOut := runCmd(t, tc.args...)
			assert.Equal(t, 1, code, errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
}
