package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// newCycleCmd is "fulcrum --db FILE cycle ...": peer-review programmes,
// their cycles and the reviews opened in them, kept in the database through
// review.Service, so that the next run (or another process) sees them.
func newCycleCmd(e *env) *cobra.Command {
	return newGroup("cycle", "peer-review programmes and their cycles, kept in --db",
		newCycleProgrammeCmd(e),
		newCycleCreateCmd(e),
		newCycleOpenCmd(e),
		newCycleListCmd(e),
	)
}

// reviewService opens --db (which the cycle commands need) and returns a
// review.Service over it with the built-in frameworks.
func reviewService(ctx context.Context, e *env, what string) (*review.Service, *sqlstore.DB, error) {
	db, err := e.needDB(ctx, what)
	if err != nil {
		return nil, nil, err
	}
	svc, err := review.NewService(db.Review(), nil, &review.Options{Logger: e.log})
	return svc, db, err
}

// reviewErr makes a refusal of the Service's (ErrInvalid: bad flags) a
// usage error.
func reviewErr(err error) error {
	if errors.Is(err, review.ErrInvalid) {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	return err
}

func newCycleProgrammeCmd(e *env) *cobra.Command {
	var p review.Programme
	var lead, framework string
	c := &cobra.Command{
		Use:   "programme ID --name NAME --lead ORG [--framework ID]",
		Short: "record a peer-review programme in --db",
		Args:  cobra.ArbitraryArgs,
	}
	c.Flags().StringVar(&p.Name, "name", "", "the programme's `NAME`")
	c.Flags().StringVar(&lead, "lead", "", "the organisation that runs it (`ORG` ID, e.g. trust:TR01234); it may read every report by default")
	c.Flags().StringVar(&framework, "framework", string(review.FrameworkOfsted2025), "the review framework `ID`")
	floatFlag(c, &p.DaysPerVisit, "days-per-visit", 1, 0, 30, "reviewer days one review costs each team member")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("programme needs one ID")
		}
		svc, _, err := reviewService(c.Context(), e, "cycle programme")
		if err != nil {
			return err
		}
		p.ID, p.Lead, p.Framework = review.ProgrammeID(args[0]), partnership.OrgID(lead), review.FrameworkID(framework)
		if err := svc.CreateProgramme(c.Context(), p); err != nil {
			return reviewErr(err)
		}
		e.notef(c, "programme %s recorded", p.ID)
		r := programmeRow{ID: p.ID, Name: p.Name, Lead: p.Lead, Framework: p.Framework, DaysPerVisit: p.DaysPerVisit}
		if format.value == "json" {
			return writeJSON(e.stdout, r)
		}
		return e.writeRecords(format.value, []string{"programme", "name", "lead", "framework", "days_per_visit"},
			[][]string{{string(r.ID), r.Name, string(r.Lead), string(r.Framework), strconv.FormatFloat(r.DaysPerVisit, 'f', -1, 64)}})
	}
	return c
}

// programmeRow is the record "cycle programme" prints.
type programmeRow struct {
	ID           review.ProgrammeID `json:"id"`
	Name         string             `json:"name"`
	Lead         partnership.OrgID  `json:"lead"`
	Framework    review.FrameworkID `json:"framework"`
	DaysPerVisit float64            `json:"days_per_visit"`
}

func newCycleCreateCmd(e *env) *cobra.Command {
	var cy review.Cycle
	var programme, from, to string
	c := &cobra.Command{
		Use:   "create ID --programme ID --name NAME --from DATE --to DATE",
		Short: "record a cycle of a programme in --db",
		Args:  cobra.ArbitraryArgs,
	}
	c.Flags().StringVar(&programme, "programme", "", "the programme's `ID` (recorded with cycle programme)")
	c.Flags().StringVar(&cy.Name, "name", "", "the cycle's `NAME`, e.g. 2025-26")
	c.Flags().StringVar(&from, "from", "", "the cycle's first `DATE` (2006-01-02)")
	c.Flags().StringVar(&to, "to", "", "the cycle's last `DATE` (2006-01-02), inclusive")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("create needs one cycle ID")
		}
		f, err := time.Parse(time.DateOnly, from)
		if err != nil {
			return usagef("--from %q: want 2006-01-02", from)
		}
		t, err := time.Parse(time.DateOnly, to)
		if err != nil {
			return usagef("--to %q: want 2006-01-02", to)
		}
		svc, _, err := reviewService(c.Context(), e, "cycle create")
		if err != nil {
			return err
		}
		cy.ID, cy.Programme = review.CycleID(args[0]), review.ProgrammeID(programme)
		cy.Period = partnership.Period{From: f, To: t.AddDate(0, 0, 1)}
		if err := svc.CreateCycle(c.Context(), cy); err != nil {
			return reviewErr(err)
		}
		e.notef(c, "cycle %s of %s recorded", cy.ID, cy.Programme)
		r := cycleRow{ID: cy.ID, Programme: cy.Programme, Name: cy.Name, From: day(cy.Period.From), To: day(cy.Period.To.AddDate(0, 0, -1))}
		if format.value == "json" {
			return writeJSON(e.stdout, r) // one record, not a list
		}
		return writeCycles(e, format.value, []cycleRow{r})
	}
	return c
}

func newCycleOpenCmd(e *env) *cobra.Command {
	var urn int
	var trust string
	c := &cobra.Command{
		Use:   "open CYCLE --urn URN [--trust ORG]",
		Short: "open a school's review in a cycle recorded in --db",
		Args:  cobra.ArbitraryArgs,
	}
	intFlag(c, &urn, "urn", 0, 100000, 999999, "the school's `URN`")
	c.Flags().StringVar(&trust, "trust", "", "the school's trust (`ORG` ID), which may read its report")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		switch {
		case len(args) != 1:
			return usagef("open needs one cycle ID")
		case urn == 0:
			return usagef("--urn is required")
		}
		svc, _, err := reviewService(c.Context(), e, "cycle open")
		if err != nil {
			return err
		}
		st, err := svc.OpenReview(c.Context(), review.CycleID(args[0]), partnership.URN(urn), partnership.OrgID(trust), nil)
		if err != nil {
			return reviewErr(err)
		}
		e.notef(c, "review %s opened", st.ID)
		r := openRow{ID: st.ID, Cycle: st.Cycle, URN: st.School, Trust: partnership.OrgID(trust), Stage: st.Stage.String(), Due: day(st.Due)}
		if format.value == "json" {
			return writeJSON(e.stdout, r)
		}
		return e.writeRecords(format.value, []string{"review", "cycle", "urn", "trust", "stage", "due"},
			[][]string{{string(r.ID), string(r.Cycle), r.URN.String(), string(r.Trust), r.Stage, r.Due}})
	}
	return c
}

// openRow is the record "cycle open" prints: the review opened.
type openRow struct {
	ID    review.ReviewID   `json:"id"`
	Cycle review.CycleID    `json:"cycle"`
	URN   partnership.URN   `json:"urn"`
	Trust partnership.OrgID `json:"trust"` // "" when none was given
	Stage string            `json:"stage"`
	Due   string            `json:"due"` // the first deadline to meet (2006-01-02), "" for none
}

// cycleRow is one record of "cycle list", and the record "cycle create"
// prints (with no reviews).
type cycleRow struct {
	ID        review.CycleID     `json:"id"`
	Programme review.ProgrammeID `json:"programme"`
	Name      string             `json:"name"`
	From      string             `json:"from"`
	To        string             `json:"to"` // the last day, inclusive
	Reviews   int                `json:"reviews"`
}

func newCycleListCmd(e *env) *cobra.Command {
	var programme string
	c := &cobra.Command{
		Use:   "list [--programme ID]",
		Short: "list the cycles recorded in --db, with how many reviews each has opened",
		Args:  noArgs,
	}
	c.Flags().StringVar(&programme, "programme", "", "only the cycles of the programme `ID`")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		_, db, err := reviewService(ctx, e, "cycle list")
		if err != nil {
			return err
		}
		cycles, err := db.Review().Cycles(ctx, review.ProgrammeID(programme))
		if err != nil {
			return err
		}
		rows := make([]cycleRow, 0, len(cycles))
		for _, cy := range cycles {
			n, err := countReviews(ctx, db.Review(), cy.ID)
			if err != nil {
				return err
			}
			rows = append(rows, cycleRow{ID: cy.ID, Programme: cy.Programme, Name: cy.Name, From: day(cy.Period.From),
				To: day(cy.Period.To.AddDate(0, 0, -1)), Reviews: n})
		}
		return writeCycles(e, format.value, rows)
	}
	return c
}

// writeCycles prints cycles as a table, CSV or JSON.
func writeCycles(e *env, format string, rows []cycleRow) error {
	if format == "json" {
		return writeJSON(e.stdout, rows)
	}
	recs := make([][]string, len(rows))
	for i, r := range rows {
		recs[i] = []string{string(r.ID), string(r.Programme), r.Name, r.From, r.To, strconv.Itoa(r.Reviews)}
	}
	return e.writeRecords(format, []string{"cycle", "programme", "name", "from", "to", "reviews"}, recs)
}

// countReviews counts the reviews of a cycle, page by page.
func countReviews(ctx context.Context, rs *sqlstore.ReviewStore, cycle review.CycleID) (int, error) {
	n, cursor := 0, ""
	for {
		page, next, err := rs.ListReviews(ctx, review.ReviewQuery{Cycle: cycle}, cursor, 0)
		if err != nil {
			return 0, err
		}
		n += len(page)
		if next == "" {
			return n, nil
		}
		cursor = next
	}
}

// day formats a date, "" for the zero time.
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
