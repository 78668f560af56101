package riskpolicy

import (
	"context"
	"fmt"
	"slices"

	"github.com/fulcrum-edu/fulcrum/partnership"
)

// Impact is what changing from one policy to another would do over a data
// set: the schools that would change level, and why, and the number of
// schools at each level before and after.
type Impact struct {
	Old     string `json:"old"` // the policies' names
	New     string `json:"new"`
	Schools int    `json:"schools"`
	// Before and After count the schools at each level of the old and the
	// new policy, in level order.
	Before []LevelCount `json:"before"`
	After  []LevelCount `json:"after"`
	// Changes lists the schools whose level differs, in URN order.
	Changes []LevelChange `json:"changes"`
}

// LevelCount is the number of schools at a level.
type LevelCount struct {
	Level string `json:"level"`
	Count int    `json:"count"`
}

// LevelChange is one school whose level differs between two policies.
type LevelChange struct {
	URN  partnership.URN `json:"urn"`
	Name string          `json:"name,omitempty"`
	From string          `json:"from"`
	To   string          `json:"to"`
	// Direction compares the levels where the new level's name is also a
	// level of the old policy (ChangeUp: more serious); ChangeNew when the
	// names cannot be compared.
	Direction Change `json:"direction"`
	// Gained are the rules that fire under the new policy and did not
	// under the old (by name); Lost the reverse.
	Gained []string `json:"gained,omitempty"`
	Lost   []string `json:"lost,omitempty"`
	// OldScore and Score are the points scores under each policy (zero
	// for policies that combine by highest level).
	OldScore float64 `json:"old_score,omitempty"`
	Score    float64 `json:"score,omitempty"`
	// Held is why the new policy holds the school at its level, if it does
	// (an exit condition not yet met).
	Held string `json:"held,omitempty"`
}

// Diff evaluates both policies over every school in src and reports the
// difference. opts applies to both evaluations.
func Diff(ctx context.Context, old, new *Policy, src Source, opts *EvalOptions) (*Impact, error) {
	return DiffSources(ctx, old, new, src, src, opts)
}

// DiffSources is Diff where each policy reads its own source: the same
// schools read once against each policy's data contract (see
// Policy.ReadCSV). Both sources must hold the same schools; a school in
// one only is an error wrapping ErrInvalid.
func DiffSources(ctx context.Context, old, new *Policy, oldSrc, newSrc Source, opts *EvalOptions) (*Impact, error) {
	evaluate := func(p *Policy, src Source) ([]*Assessment, error) {
		var recs []Record
		for r, err := range All(ctx, src) {
			if err != nil {
				return nil, err
			}
			recs = append(recs, r)
		}
		b, err := p.Bind(recs)
		if err != nil {
			return nil, err
		}
		return p.EvaluateBatch(ctx, b, opts)
	}
	ao, err := evaluate(old, oldSrc)
	if err != nil {
		return nil, err
	}
	an, err := evaluate(new, newSrc)
	if err != nil {
		return nil, err
	}
	if len(ao) != len(an) {
		return nil, fmt.Errorf("%w: the sources hold %d and %d schools", ErrInvalid, len(ao), len(an))
	}
	for i := range ao {
		if ao[i].URN != an[i].URN {
			return nil, fmt.Errorf("%w: school %d is in one source only", ErrInvalid, min(ao[i].URN, an[i].URN))
		}
	}
	return compare(old, new, ao, an), nil
}

func compare(old, new *Policy, ao, an []*Assessment) *Impact {
	im := &Impact{Old: old.name, New: new.name, Schools: len(ao)}
	counts := func(p *Policy, as []*Assessment) []LevelCount {
		out := make([]LevelCount, len(p.levels))
		for i, l := range p.levels {
			out[i].Level = l.Name
		}
		for _, a := range as {
			out[a.levelIdx].Count++
		}
		return out
	}
	im.Before, im.After = counts(old, ao), counts(new, an)
	for i := range ao {
		a, b := ao[i], an[i]
		if a.Level == b.Level {
			continue
		}
		ch := LevelChange{URN: a.URN, Name: a.Name, From: a.Level, To: b.Level, Direction: ChangeNew,
			OldScore: a.Score, Score: b.Score, Held: b.Held}
		if j, ok := old.levelIdx[b.Level]; ok {
			switch {
			case j > a.levelIdx:
				ch.Direction = ChangeUp
			case j < a.levelIdx:
				ch.Direction = ChangeDown
			default:
				ch.Direction = ChangeSame
			}
		}
		fa, fb := firedNames(a), firedNames(b)
		for _, n := range fb {
			if !slices.Contains(fa, n) {
				ch.Gained = append(ch.Gained, n)
			}
		}
		for _, n := range fa {
			if !slices.Contains(fb, n) {
				ch.Lost = append(ch.Lost, n)
			}
		}
		im.Changes = append(im.Changes, ch)
	}
	return im
}

func firedNames(a *Assessment) []string {
	out := make([]string, len(a.Fired))
	for i, f := range a.Fired {
		out[i] = f.Rule
	}
	return out
}
