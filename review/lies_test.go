package review_test

import (
	"testing"

	"github.com/fulcrum-edu/fulcrum/review"
	"github.com/fulcrum-edu/fulcrum/review/reviewtest"
)

func TestServiceLies(t *testing.T) {
	reviewtest.RunLies(t, func(*testing.T) review.Store { return review.NewMemoryStore() })
}
