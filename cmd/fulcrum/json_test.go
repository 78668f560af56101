package main

import (
	"encoding"
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/fulcrum-edu/fulcrum/brokerage"
	"github.com/fulcrum-edu/fulcrum/partnership/analysis"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
)

// jsonOutputs are the values the commands print with --format json.
var jsonOutputs = map[string]any{
	"england load":       loadReport{},
	"network stats":      england.Stats{},
	"network isolated":   isolatedReport{},
	"network bridges":    bridgesReport{},
	"network families":   analysis.FamilyReport{},
	"review allocate":    allocateOutput{},
	"review clusters":    clustersOutput{},
	"review schedule":    scheduleOutput{},
	"risk eval":          []*riskpolicy.Assessment{},
	"risk diff":          diffOutput{},
	"risk check":         []policyCheck{},
	"risk test":          testOutput{},
	"risk list":          []builtinPolicy{},
	"broker solve":       solveOutput{},
	"risk synth":         synthOutput{},
	"broker match":       matchOutput{},
	"broker gaps":        gapsOutput{},
	"broker england":     brokerEnglandOutput{},
	"version":            buildVersion{},
	"db status":          dbStatus{},
	"db migrate":         dbStatus{},
	"cycle list":         []cycleRow{},
	"cycle programme":    programmeRow{},
	"cycle create":       cycleRow{},
	"cycle open":         openRow{},
	"engagement propose": []brokerage.Engagement{},
	"engagement move":    []brokerage.Engagement{},
	"engagement list":    []brokerage.Engagement{},
	"sim run":            simRunOutput{},
	"sim merge":          simMergeOutput{},
	"sim plot":           simPlotOutput{},
	"sim sensitivity":    sensitivityOutput{},
	"sim calibrate":      calibrationOutput{},
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Every key of every command's JSON is snake_case: each exported field of
// the structs printed has a snake_case json tag (or is embedded, or is
// left out with "-"), all the way down.
func TestJSONKeysSnakeCase(t *testing.T) {
	for cmd, v := range jsonOutputs {
		seen := map[reflect.Type]bool{}
		var check func(path string, ty reflect.Type)
		check = func(path string, ty reflect.Type) {
			for ty.Kind() == reflect.Pointer || ty.Kind() == reflect.Slice || ty.Kind() == reflect.Array || ty.Kind() == reflect.Map {
				ty = ty.Elem()
			}
			if ty.Kind() != reflect.Struct || seen[ty] {
				return
			}
			seen[ty] = true
			pt := reflect.PointerTo(ty)
			if pt.Implements(reflect.TypeFor[json.Marshaler]()) || pt.Implements(reflect.TypeFor[encoding.TextMarshaler]()) {
				return // its own encoding
			}
			for i := range ty.NumField() {
				f := ty.Field(i)
				if !f.IsExported() {
					continue
				}
				name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
				switch {
				case name == "-":
					continue
				case name == "" && f.Anonymous:
					check(path, f.Type)
					continue
				case !snakeCase.MatchString(name):
					t.Errorf("%s: %s.%s (%s) has JSON key %q, not snake_case", cmd, path, f.Name, ty, keyOf(name, f.Name))
				}
				check(path+"."+keyOf(name, f.Name), f.Type)
			}
		}
		check(cmd, reflect.TypeOf(v))
	}
}

func keyOf(tag, field string) string {
	if tag != "" {
		return tag
	}
	return field
}
