package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// newEngagementCmd is "fulcrum --db FILE engagement ...": engagements
// between schools and providers, kept in the database through a
// brokerage.Ledger, so that the next run (or another process) sees them
// and the database keeps each offer's capacity and one open engagement per
// need.
func newEngagementCmd(e *env) *cobra.Command {
	return newGroup("engagement", "engagements between schools and providers, kept in --db",
		newEngagementProposeCmd(e),
		newEngagementMoveCmd(e),
		newEngagementListCmd(e),
	)
}

// ledger opens --db (which the engagement commands need) and returns a
// Ledger over it.
func ledger(ctx context.Context, e *env, what string) (*brokerage.Ledger, error) {
	db, err := e.needDB(ctx, what)
	if err != nil {
		return nil, err
	}
	return brokerage.NewLedger(db.Brokerage(), &brokerage.LedgerOptions{Logger: e.log}), nil
}

func newEngagementProposeCmd(e *env) *cobra.Command {
	var in brokerInput
	var prefix string
	c := &cobra.Command{
		Use:   "propose (--needs FILE --offers FILE | --england)",
		Short: "match needs to offers as broker match does, and record an engagement proposed for every match in --db",
		Args:  noArgs,
	}
	in.register(c)
	c.Flags().StringVar(&prefix, "prefix", "", "put `TEXT` before each need's ID to make the engagement's ID")
	c.RunE = func(c *cobra.Command, _ []string) error {
		ctx := c.Context()
		l, err := ledger(ctx, e, "engagement propose")
		if err != nil {
			return err
		}
		needs, offers, _, r, err := in.match(ctx, e)
		if err != nil {
			return err
		}
		// The needs and offers go into the catalogue first: the Ledger
		// checks each proposal against what is stored, inside the
		// store's transaction.
		if err := l.PutNeeds(ctx, needs...); err != nil {
			return err
		}
		if err := l.PutOffers(ctx, offers...); err != nil {
			return err
		}
		es, err := l.ProposeAll(ctx, prefix, r)
		e.notef(c, "proposed %d engagements for %d matches of %d needs", len(es), len(r.Matches), len(needs))
		if err != nil {
			return err
		}
		return writeEngagements(e, in.format.value, es)
	}
	return c
}

// moves are the transitions "engagement move" makes, by the status they
// reach.
var moves = map[string]func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, f *moveFlags) (brokerage.Engagement, error){
	"accepted": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, _ *moveFlags) (brokerage.Engagement, error) {
		return l.Accept(ctx, id)
	},
	"declined": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, f *moveFlags) (brokerage.Engagement, error) {
		return l.Decline(ctx, id, f.note)
	},
	"agreed": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, f *moveFlags) (brokerage.Engagement, error) {
		return l.Agree(ctx, id, f.objectives, f.impact)
	},
	"active": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, _ *moveFlags) (brokerage.Engagement, error) {
		return l.Start(ctx, id)
	},
	"completed": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, _ *moveFlags) (brokerage.Engagement, error) {
		return l.Complete(ctx, id)
	},
	"impact-reviewed": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, f *moveFlags) (brokerage.Engagement, error) {
		return l.ReviewImpact(ctx, id, f.review)
	},
	"cancelled": func(l *brokerage.Ledger, ctx context.Context, id brokerage.EngagementID, f *moveFlags) (brokerage.Engagement, error) {
		return l.Cancel(ctx, id, f.note)
	},
}

type moveFlags struct{ note, objectives, impact, review string }

func newEngagementMoveCmd(e *env) *cobra.Command {
	var f moveFlags
	c := &cobra.Command{
		Use:   "move ID STATUS",
		Short: "move an engagement in --db to its next status: accepted, declined, agreed, active, completed, impact-reviewed or cancelled",
		Args:  cobra.ArbitraryArgs,
	}
	c.Flags().StringVar(&f.note, "note", "", "why it was declined or cancelled (`TEXT`, required for those)")
	c.Flags().StringVar(&f.objectives, "objectives", "", "the agreed objectives (`TEXT`, required for agreed)")
	c.Flags().StringVar(&f.impact, "impact", "", "the expected impact (`TEXT`, required for agreed)")
	c.Flags().StringVar(&f.review, "review", "", "the review of its impact (`TEXT`, required for impact-reviewed)")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, args []string) error {
		if len(args) != 2 {
			return usagef("move needs an engagement ID and a status")
		}
		move, ok := moves[args[1]]
		if !ok {
			return usagef("status %q: want accepted, declined, agreed, active, completed, impact-reviewed or cancelled", args[1])
		}
		l, err := ledger(c.Context(), e, "engagement move")
		if err != nil {
			return err
		}
		en, err := move(l, c.Context(), brokerage.EngagementID(args[0]), &f)
		if errors.Is(err, brokerage.ErrInvalid) {
			return fmt.Errorf("%w: %w", errUsage, err)
		}
		if err != nil {
			return err
		}
		return writeEngagements(e, format.value, []brokerage.Engagement{en})
	}
	return c
}

func newEngagementListCmd(e *env) *cobra.Command {
	var need, offer, status string
	c := &cobra.Command{
		Use:   "list [--need ID] [--offer ID] [--status S,...]",
		Short: "list the engagements recorded in --db, by ID",
		Args:  noArgs,
	}
	c.Flags().StringVar(&need, "need", "", "only the engagements of the need `ID`")
	c.Flags().StringVar(&offer, "offer", "", "only the engagements of the offer `ID`")
	c.Flags().StringVar(&status, "status", "", "only engagements in these statuses (comma-separated `LIST`)")
	format := addFormat(c, "table", "csv", "json")
	c.RunE = func(c *cobra.Command, _ []string) error {
		q := brokerage.Query{Need: brokerage.NeedID(need), Offer: brokerage.OfferID(offer)}
		if status != "" {
			for _, s := range strings.Split(status, ",") {
				var st brokerage.Status
				if err := st.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
					return usagef("--status %q: %v", s, err)
				}
				q.Statuses = append(q.Statuses, st)
			}
		}
		if _, err := ledger(c.Context(), e, "engagement list"); err != nil {
			return err
		}
		es, err := e.db.Brokerage().List(c.Context(), q)
		if err != nil {
			return err
		}
		return writeEngagements(e, format.value, es)
	}
	return c
}

// writeEngagements prints engagements as a table, CSV or JSON.
func writeEngagements(e *env, format string, es []brokerage.Engagement) error {
	if es == nil {
		es = []brokerage.Engagement{}
	}
	if format == "json" {
		return writeJSON(e.stdout, es)
	}
	rows := make([][]string, len(es))
	for i, en := range es {
		rows[i] = []string{string(en.ID), string(en.Need), string(en.Offer), en.School.String(), string(en.Area),
			strconv.FormatFloat(en.Days, 'g', -1, 64), en.Status.String(), strconv.Itoa(en.Version)}
	}
	return e.writeRecords(format, []string{"engagement", "need", "offer", "urn", "area", "days", "status", "version"}, rows)
}
