package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// A trust's system keeps its partnership records in SQLite: the Service in
// front is the same as with the in-memory store, and the records outlive the
// process when the DSN names a file.
func Example() {
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, ":memory:") // or "fulcrum.db", or "postgres://..."
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	svc := partnership.NewService(db.Partnership(), nil)
	if err := svc.AddSchool(ctx, partnership.School{URN: 107000, Name: "Moorside Primary", Phase: partnership.PhasePrimary}); err != nil {
		log.Fatal(err)
	}
	sc, err := svc.School(ctx, 107000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sc.Name)

	_, err = svc.School(ctx, 999999)
	fmt.Println(errors.Is(err, partnership.ErrNotFound))

	st, err := db.Status(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Current == st.Latest)
	// Output:
	// Moorside Primary
	// true
	// true
}
