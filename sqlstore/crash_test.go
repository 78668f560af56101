package sqlstore_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	p "github.com/fulcrum-edu/fulcrum/partnership"
	"github.com/fulcrum-edu/fulcrum/sqlstore"
)

// crashEnv tells the re-executed test binary to import into this DSN.
const crashEnv = "FULCRUM_CRASH_DSN"

// syntheticDataset returns n schools, each a member of one of n/10 networks,
// numbered from first.
func syntheticDataset(first, n int) *p.Dataset {
	d := &p.Dataset{}
	for i := range n / 10 {
		d.Networks = append(d.Networks, p.Network{ID: p.NetworkID(fmt.Sprintf("net:%d:%d", first, i)), Kind: p.NetworkTrust, Name: "Trust", Basis: p.BasisGovernance})
	}
	for i := range n {
		u := p.URN(first + i)
		d.Schools = append(d.Schools, p.School{URN: u, Name: fmt.Sprintf("School %d", u), Phase: p.PhasePrimary, LA: 383,
			Region: "Yorkshire and The Humber", Location: p.Location{Lat: 53.8, Lon: -1.55}, Pupils: p.Known(300)})
		d.Memberships = append(d.Memberships, p.Membership{ID: p.MembershipID(fmt.Sprintf("mem:%d", u)),
			Network: d.Networks[i%len(d.Networks)].ID, Member: u.OrgID(), Role: p.RoleMember,
			Period: p.Period{From: time.Date(2020, 9, 1, 0, 0, 0, 0, time.UTC)}})
	}
	return d
}

const crashSchools = 60000

// TestCrashChild is the child process of TestCrashMidImport: it imports a
// large dataset and is killed while it does. It does nothing unless the
// parent set crashEnv.
func TestCrashChild(t *testing.T) {
	dsn := os.Getenv(crashEnv)
	if dsn == "" {
		t.Skip("run by TestCrashMidImport")
	}
	ctx := context.Background()
	// A small page cache, so that the import spills uncommitted pages into
	// the write-ahead log as it goes (the default 64 MiB cache holds them
	// all until the commit) and the parent can kill it mid-import.
	open := dsn
	if !strings.HasPrefix(dsn, "postgres") {
		open += "?_pragma=cache_size(-2000)"
	}
	db, err := sqlstore.Open(ctx, open)
	require.NoError(t, err)
	d := syntheticDataset(1_000_000, crashSchools)
	fmt.Println("loading")
	err = db.Partnership().LoadDataset(ctx, d)
	require.NoError(t, err)
	fmt.Println("loaded")
	time.Sleep(time.Minute) // wait to be killed
}

// TestCrashMidImport kills (SIGKILL) a process in the middle of a large
// import and checks that the database opens afterwards with the state
// before the import, never a part of the import. The kill comes when the
// import is seen writing: on SQLite when the write-ahead log has grown past
// a size (uncommitted pages), on PostgreSQL when the server shows the
// process's COPY into a given table.
func TestCrashMidImport(t *testing.T) {
	if testing.Short() {
		t.Skip("re-executes the test binary")
	}
	ctx := context.Background()
	type point struct {
		name  string
		reach func(dsn string) bool
	}
	walPast := func(n int64) func(string) bool {
		return func(dsn string) bool {
			fi, err := os.Stat(dsn + "-wal")
			return err == nil && fi.Size() > n
		}
	}
	copying := func(table string) func(string) bool {
		return func(string) bool {
			var n int
			err := pgAdmin.db.QueryRow(`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query ILIKE $1`,
				`copy "`+table+`"%`).Scan(&n)
			return err == nil && n > 0
		}
	}
	cases := []struct {
		b      backend
		points []point
	}{
		{backends[0], []point{{"wal-past-1MiB", walPast(1 << 20)}, {"wal-past-8MiB", walPast(8 << 20)}}},
		{backends[2], []point{{"copying-schools", copying("schools")}, {"copying-memberships", copying("memberships")}}},
	}
	for _, c := range cases {
		t.Run(c.b.name, func(t *testing.T) {
			for _, at := range c.points {
				t.Run(at.name, func(t *testing.T) {
					db, dsn := c.b.open(t)
					// The previous state: a small import.
					require.NoError(t, db.Partnership().LoadDataset(ctx, syntheticDataset(100, 50)))

					cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
					cmd.Env = append(os.Environ(), crashEnv+"="+dsn)
					out, err := cmd.StdoutPipe()
					require.NoError(t, err)
					cmd.Stderr = os.Stderr
					require.NoError(t, cmd.Start())
					loaded := make(chan struct{})
					go func() {
						lines := bufio.NewScanner(out)
						for lines.Scan() {
							if strings.Contains(lines.Text(), "loaded") {
								close(loaded)
							}
						}
					}()
					deadline := time.Now().Add(3 * time.Minute)
					for !at.reach(dsn) {
						select {
						case <-loaded:
							cmd.Process.Kill()
							t.Fatalf("the import finished before reaching %s", at.name)
						default:
						}
						if time.Now().After(deadline) {
							cmd.Process.Kill()
							t.Fatalf("the import never reached %s", at.name)
						}
						time.Sleep(2 * time.Millisecond)
					}
					require.NoError(t, cmd.Process.Kill())
					cmd.Wait()
					select {
					case <-loaded:
						t.Fatal("the import committed before the kill")
					default:
					}

					// Reopen, as the next process would.
					again, err := sqlstore.Open(ctx, dsn)
					require.NoError(t, err)
					defer again.Close()
					var schools, memberships int
					require.NoError(t, again.SQL().QueryRowContext(ctx, "SELECT count(*) FROM schools").Scan(&schools))
					require.NoError(t, again.SQL().QueryRowContext(ctx, "SELECT count(*) FROM memberships").Scan(&memberships))
					t.Logf("killed at %s: schools %d, memberships %d", at.name, schools, memberships)
					assert.Equal(t, 50, schools, "none of the import")
					assert.Equal(t, 50, memberships, "none of the import")
					// The database still takes writes.
					require.NoError(t, again.Partnership().LoadDataset(ctx, syntheticDataset(200, 10)))
				})
			}
		})
	}
}
