package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// With --db FILE (a SQLite file, or a postgres:// DSN) the tool keeps its
// state in a database: "england load" imports the extracts into it, the
// commands that read the England data read them from it, and "risk eval"
// records its assessments there, so the next run sees the change.

// englandDoc is the name of the document that keeps what an England load
// read besides the dataset (groups, group links, census phases, files).
const englandDoc = "england"

// englandExtract is that document.
type englandExtract struct {
	Source      string                     `json:"source"`
	Files       []england.File             `json:"files"`
	Groups      []england.Group            `json:"groups"`
	GroupLinks  []england.GroupLink        `json:"group_links"`
	PhaseGroups map[partnership.URN]string `json:"phase_groups"`
}

// isDSN reports whether --db names a PostgreSQL server, not a file.
func isDSN(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// openDB opens --db once per run, applying pending migrations. Unless
// create is set, a SQLite file that does not exist is an error rather than
// a new empty database.
func (e *env) openDB(ctx context.Context, create bool) (*sqlstore.DB, error) {
	if e.db != nil {
		return e.db, nil
	}
	if !create && !isDSN(e.dbPath) {
		if _, err := os.Stat(e.dbPath); err != nil {
			return nil, fmt.Errorf("--db %s: %w (create it with: fulcrum --db %s england load --data DIR)", e.dbPath, err, e.dbPath)
		}
	}
	db, err := sqlstore.Open(ctx, e.dbPath)
	if err != nil {
		return nil, fmt.Errorf("--db %s: %w", e.dbPath, err)
	}
	e.db = db
	return db, nil
}

// needDB opens --db for a command (what) that keeps its records only in a
// database: without --db it is a usage error.
func (e *env) needDB(ctx context.Context, what string) (*sqlstore.DB, error) {
	if e.dbPath == "" {
		return nil, usagef("%s keeps its records in a database: --db FILE is required", what)
	}
	return e.openDB(ctx, true)
}

// closeDB closes the database if a command opened it.
func (e *env) closeDB() {
	if e.db != nil {
		e.db.Close()
		e.db = nil
	}
}

// importEngland stores what r read in --db, all in one transaction.
func importEngland(ctx context.Context, e *env, r *england.Result) error {
	db, err := e.openDB(ctx, true)
	if err != nil {
		return err
	}
	stop := e.startTask("importing into " + e.dbPath)
	err = db.Import(ctx, &r.Dataset, map[string]any{englandDoc: englandExtract{
		Source: r.Source, Files: r.Files, Groups: r.Groups, GroupLinks: r.GroupLinks, PhaseGroups: r.PhaseGroups,
	}})
	stop()
	if errors.Is(err, partnership.ErrConflict) {
		return fmt.Errorf("--db %s already holds England data; import into a new database: %w", e.dbPath, err)
	}
	if err != nil {
		return err
	}
	e.log.Info("imported", "db", e.dbPath, "schools", len(r.Dataset.Schools), "memberships", len(r.Dataset.Memberships))
	return nil
}

// loadFromDB reads the England data that "england load" imported into --db.
func loadFromDB(ctx context.Context, e *env) (*england.Result, error) {
	db, err := e.openDB(ctx, false)
	if err != nil {
		return nil, err
	}
	stop := e.startTask("reading " + e.dbPath)
	d, err := db.Partnership().Dataset(ctx)
	stop()
	if err != nil {
		return nil, err
	}
	if len(d.Schools) == 0 {
		return nil, fmt.Errorf("--db %s holds no schools: load them with fulcrum --db %s england load --data DIR", e.dbPath, e.dbPath)
	}
	var x englandExtract
	if err := db.Document(ctx, englandDoc, &x); err != nil && !errors.Is(err, sqlstore.ErrNoDocument) {
		return nil, err
	}
	return &england.Result{Dataset: *d, Files: x.Files, Groups: x.Groups, GroupLinks: x.GroupLinks, PhaseGroups: x.PhaseGroups,
		Source: fmt.Sprintf("database %s (imported from %s)", e.dbPath, x.Source)}, nil
}

func newDBCmd(e *env) *cobra.Command {
	return newGroup("db", "the database given with --db: its schema version, and migrating it",
		newDBStatusCmd(e),
		newDBMigrateCmd(e),
	)
}

// dbStatus is what "db status" and "db migrate" print as JSON.
type dbStatus struct {
	Database string  `json:"database"`
	Dialect  string  `json:"dialect"`
	Current  int64   `json:"current"`
	Latest   int64   `json:"latest"`
	Pending  []int64 `json:"pending"`
	Applied  []int64 `json:"applied,omitempty"`
}

func (s *dbStatus) write(e *env, format string) error {
	if format == "json" {
		return writeJSON(e.stdout, s)
	}
	fmt.Fprintf(e.stdout, "database %s (%s): schema version %d; this fulcrum knows up to %d\n", s.Database, s.Dialect, s.Current, s.Latest)
	if len(s.Applied) > 0 {
		fmt.Fprintf(e.stdout, "applied: %v\n", s.Applied)
	}
	if len(s.Pending) > 0 {
		fmt.Fprintf(e.stdout, "pending: %v (fulcrum --db %s db migrate applies them)\n", s.Pending, s.Database)
	}
	return nil
}

func requireDB(e *env) error {
	if e.dbPath == "" {
		return usagef("--db FILE is required")
	}
	return nil
}

func newDBStatusCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "status",
		Short: "show the schema version of --db and the migrations pending",
		Args:  noArgs,
	}
	format := addFormat(c, "table", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		if err := requireDB(e); err != nil {
			return err
		}
		if !isDSN(e.dbPath) {
			if _, err := os.Stat(e.dbPath); err != nil {
				return fmt.Errorf("--db %s: %w", e.dbPath, err)
			}
		}
		db, err := sqlstore.Connect(c.Context(), e.dbPath)
		if err != nil {
			return fmt.Errorf("--db %s: %w", e.dbPath, err)
		}
		defer db.Close()
		sc, err := db.Status(c.Context())
		if err != nil {
			return err
		}
		st := &dbStatus{Database: e.dbPath, Dialect: db.Dialect().String(), Current: sc.Current, Latest: sc.Latest, Pending: sc.Pending}
		if err := st.write(e, format.value); err != nil {
			return err
		}
		if sc.Current > sc.Latest {
			return fmt.Errorf("%w: upgrade fulcrum", sqlstore.ErrSchemaTooNew)
		}
		return nil
	}
	return c
}

func newDBMigrateCmd(e *env) *cobra.Command {
	c := &cobra.Command{
		Use:   "migrate",
		Short: "apply the pending migrations to --db (creating a new SQLite file)",
		Args:  noArgs,
	}
	format := addFormat(c, "table", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		if err := requireDB(e); err != nil {
			return err
		}
		db, err := sqlstore.Connect(c.Context(), e.dbPath)
		if err != nil {
			return fmt.Errorf("--db %s: %w", e.dbPath, err)
		}
		defer db.Close()
		applied, err := db.Migrate(c.Context())
		if err != nil {
			return err
		}
		sc, err := db.Status(c.Context())
		if err != nil {
			return err
		}
		return (&dbStatus{Database: e.dbPath, Dialect: db.Dialect().String(), Current: sc.Current, Latest: sc.Latest,
			Pending: sc.Pending, Applied: applied}).write(e, format.value)
	}
	return c
}

// riskEvalDB evaluates through a riskpolicy.Service over --db: each school's
// last assessment there is its previous one (so the change since the last
// run shows, and exit conditions hold across runs), the overrides recorded
// there apply, and the new assessments and every change of level are
// recorded. --overrides files are refused: overrides in the database are
// recorded with their audit.
func riskEvalDB(ctx context.Context, e *env, p *riskpolicy.Policy, data *riskpolicy.Data, opts *riskpolicy.EvalOptions) ([]*riskpolicy.Assessment, error) {
	if len(opts.Overrides) > 0 {
		return nil, usagef("--overrides and --db: the overrides recorded in the database apply")
	}
	db, err := e.openDB(ctx, true)
	if err != nil {
		return nil, err
	}
	so := &riskpolicy.ServiceOptions{Logger: e.log}
	if !opts.At.IsZero() {
		at := opts.At
		so.Clock = func() time.Time { return at }
	}
	as, err := riskpolicy.NewService(db.Risk(), so).AssessAll(ctx, p, data.Source)
	if errors.Is(err, riskpolicy.ErrConflict) {
		return nil, fmt.Errorf("--db %s already holds assessments under %s at that time (--at): %w", e.dbPath, p.Name(), err)
	}
	return as, err
}

// newRiskOverrideCmd is "fulcrum --db FILE risk override POLICY ...": a
// professional judgement recorded in the database with its audit, which
// the next "risk eval --db" applies.
func newRiskOverrideCmd(e *env) *cobra.Command {
	var (
		urn                      int
		level, by, reason, until string
		supersedes               string
	)
	c := &cobra.Command{
		Use:   "override POLICY --urn URN --level LEVEL --by WHO --reason WHY --expires DATE",
		Short: "record a professional-judgement override in --db (with its audit); risk eval --db applies it",
		Args:  cobra.ArbitraryArgs,
	}
	intFlag(c, &urn, "urn", 0, 100000, 999999, "the school's `URN`")
	c.Flags().StringVar(&level, "level", "", "the `LEVEL` the school is held at, one of the policy's levels")
	c.Flags().StringVar(&by, "by", "", "who made the judgement (`NAME`)")
	c.Flags().StringVar(&reason, "reason", "", "why, in their words (`TEXT`)")
	c.Flags().StringVar(&until, "expires", "", "when the override lapses (`DATE` 2006-01-02)")
	c.Flags().StringVar(&supersedes, "supersedes", "", "the `ID` of the override in force that this one replaces")
	format := addFormat(c, "table", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		switch {
		case len(args) != 1:
			return usagef("override needs one policy")
		case e.dbPath == "":
			return usagef("override records into a database: --db FILE is required")
		case urn == 0:
			return usagef("--urn is required")
		}
		expires, err := time.Parse(time.DateOnly, until)
		if err != nil {
			return usagef("--expires %q: want 2006-01-02", until)
		}
		p, err := loadPolicy(e, args[0])
		if err != nil {
			return err
		}
		db, err := e.openDB(c.Context(), true)
		if err != nil {
			return err
		}
		o, err := riskpolicy.NewService(db.Risk(), &riskpolicy.ServiceOptions{Logger: e.log}).Override(c.Context(), p, riskpolicy.Override{
			URN: partnership.URN(urn), Level: level, By: by, Reason: reason, Expires: expires, Supersedes: riskpolicy.OverrideID(supersedes)})
		if errors.Is(err, riskpolicy.ErrInvalid) {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		if err != nil {
			return err
		}
		if format.value == "json" {
			return writeJSON(e.stdout, o)
		}
		_, err = fmt.Fprintf(e.stdout, "override %s: school %d held at %s under %s until %s, by %s\n",
			o.ID, o.URN, o.Level, o.Policy, o.Expires.Format(time.DateOnly), o.By)
		return err
	}
	return c
}
