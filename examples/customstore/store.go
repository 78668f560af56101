package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/fulcrum-edu/fulcrum/brokerage"
)

// Store is brokerage.Store over the trust's key-value store: each need,
// offer and engagement is a JSON value under "need/ID", "offer/ID" and
// "engagement/ID". The two rules that span records (an offer's capacity,
// one open engagement per need) hold because Reserve, PutNeed and PutOffer
// each check and write inside one KV transaction.
type Store struct{ kv *KV }

var _ brokerage.Store = (*Store)(nil)

// NewStore returns a Store over kv.
func NewStore(kv *KV) *Store { return &Store{kv: kv} }

func get[T any](tx *Txn, key string, notFound string) (T, error) {
	var v T
	b, ok := tx.Get(key)
	if !ok {
		return v, fmt.Errorf("%s: %w", notFound, brokerage.ErrNotFound)
	}
	return v, json.Unmarshal(b, &v)
}

func put(tx *Txn, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	tx.Put(key, b)
	return nil
}

// engagements returns every engagement for which keep is true, by ID.
func engagements(tx *Txn, keep func(*brokerage.Engagement) bool) ([]brokerage.Engagement, error) {
	var (
		out []brokerage.Engagement
		err error
	)
	tx.Scan("engagement/", func(_ string, b []byte) bool {
		var e brokerage.Engagement
		if err = json.Unmarshal(b, &e); err != nil {
			return false
		}
		if keep(&e) {
			out = append(out, e)
		}
		return true
	})
	return out, err
}

// Get implements brokerage.EngagementReader.
func (s *Store) Get(ctx context.Context, id brokerage.EngagementID) (e brokerage.Engagement, err error) {
	if err := ctx.Err(); err != nil {
		return e, err
	}
	err = s.kv.View(func(tx *Txn) error {
		e, err = get[brokerage.Engagement](tx, "engagement/"+string(id), "engagement "+string(id))
		return err
	})
	return e, err
}

// List implements brokerage.EngagementReader. Keys sort by ID, so the scan
// is in the order the contract asks for.
func (s *Store) List(ctx context.Context, q brokerage.Query) (es []brokerage.Engagement, err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	err = s.kv.View(func(tx *Txn) error {
		es, err = engagements(tx, func(e *brokerage.Engagement) bool {
			return (q.Need == "" || e.Need == q.Need) && (q.Offer == "" || e.Offer == q.Offer) &&
				(len(q.Statuses) == 0 || slices.Contains(q.Statuses, e.Status))
		})
		return err
	})
	return es, err
}

// Reserve implements brokerage.EngagementWriter in one KV transaction.
func (s *Store) Reserve(ctx context.Context, need brokerage.NeedID, offer brokerage.OfferID, build func(brokerage.Need, brokerage.Offer, int) (brokerage.Engagement, error)) (out brokerage.Engagement, err error) {
	if err := ctx.Err(); err != nil {
		return out, err
	}
	err = s.kv.Update(func(tx *Txn) error {
		n, err := get[brokerage.Need](tx, "need/"+string(need), "need "+string(need))
		if err != nil {
			return err
		}
		o, err := get[brokerage.Offer](tx, "offer/"+string(offer), "offer "+string(offer))
		if err != nil {
			return err
		}
		reserving, err := engagements(tx, func(e *brokerage.Engagement) bool {
			return e.Status.Reserves() && (e.Offer == offer || e.Need == need)
		})
		if err != nil {
			return err
		}
		reserved, open := 0, ""
		for _, r := range reserving {
			if r.Offer == offer {
				reserved++
			}
			if r.Need == need && open == "" {
				open = string(r.ID)
			}
		}
		e, err := build(n, o, reserved)
		switch {
		case err != nil:
			return err
		case e.Need != need || e.Offer != offer:
			return fmt.Errorf("engagement %s: %w: built for need %s and offer %s", e.ID, brokerage.ErrInvalid, e.Need, e.Offer)
		case !e.Status.Reserves():
			return fmt.Errorf("engagement %s: %w: status %s reserves nothing", e.ID, brokerage.ErrInvalid, e.Status)
		case reserved >= o.Capacity:
			return fmt.Errorf("offer %s: %w (%d of %d reserved)", offer, brokerage.ErrCapacity, reserved, o.Capacity)
		case open != "":
			return fmt.Errorf("need %s: %w: open engagement %s", need, brokerage.ErrConflict, open)
		}
		if _, taken := tx.Get("engagement/" + string(e.ID)); taken {
			return fmt.Errorf("engagement %s: %w", e.ID, brokerage.ErrConflict)
		}
		out = e
		return put(tx, "engagement/"+string(e.ID), e)
	})
	if err != nil {
		return brokerage.Engagement{}, err
	}
	return out, nil
}

// Create implements brokerage.EngagementWriter.
func (s *Store) Create(ctx context.Context, e brokerage.Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.Update(func(tx *Txn) error {
		if _, taken := tx.Get("engagement/" + string(e.ID)); taken {
			return fmt.Errorf("engagement %s: %w", e.ID, brokerage.ErrConflict)
		}
		return put(tx, "engagement/"+string(e.ID), e)
	})
}

// Update implements brokerage.EngagementWriter.
func (s *Store) Update(ctx context.Context, e brokerage.Engagement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.Update(func(tx *Txn) error {
		old, err := get[brokerage.Engagement](tx, "engagement/"+string(e.ID), "engagement "+string(e.ID))
		if err != nil {
			return err
		}
		if old.Version != e.Version-1 {
			return fmt.Errorf("engagement %s: %w: stored version %d, update to %d", e.ID, brokerage.ErrConflict, old.Version, e.Version)
		}
		return put(tx, "engagement/"+string(e.ID), e)
	})
}

// Need implements brokerage.CatalogueReader.
func (s *Store) Need(ctx context.Context, id brokerage.NeedID) (n brokerage.Need, err error) {
	if err := ctx.Err(); err != nil {
		return n, err
	}
	err = s.kv.View(func(tx *Txn) error {
		n, err = get[brokerage.Need](tx, "need/"+string(id), "need "+string(id))
		return err
	})
	return n, err
}

// Offer implements brokerage.CatalogueReader.
func (s *Store) Offer(ctx context.Context, id brokerage.OfferID) (o brokerage.Offer, err error) {
	if err := ctx.Err(); err != nil {
		return o, err
	}
	err = s.kv.View(func(tx *Txn) error {
		o, err = get[brokerage.Offer](tx, "offer/"+string(id), "offer "+string(id))
		return err
	})
	return o, err
}

// PutNeed implements brokerage.CatalogueWriter.
func (s *Store) PutNeed(ctx context.Context, n brokerage.Need) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.Update(func(tx *Txn) error {
		open, err := engagements(tx, func(e *brokerage.Engagement) bool { return e.Need == n.ID && e.Status.Reserves() })
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return fmt.Errorf("need %s: %w: open engagement %s", n.ID, brokerage.ErrConflict, open[0].ID)
		}
		return put(tx, "need/"+string(n.ID), n)
	})
}

// PutOffer implements brokerage.CatalogueWriter.
func (s *Store) PutOffer(ctx context.Context, o brokerage.Offer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.kv.Update(func(tx *Txn) error {
		res, err := engagements(tx, func(e *brokerage.Engagement) bool { return e.Offer == o.ID && e.Status.Reserves() })
		if err != nil {
			return err
		}
		if len(res) > o.Capacity {
			return fmt.Errorf("offer %s: %w: capacity %d, %d reserved", o.ID, brokerage.ErrCapacity, o.Capacity, len(res))
		}
		return put(tx, "offer/"+string(o.ID), o)
	})
}
