package synth_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/fulcrum-edu/fulcrum/partnership/england"
	"github.com/fulcrum-edu/fulcrum/riskpolicy/synth"
)

// Indicators for the embedded Yorkshire and the Humber schools: the header
// comment says which columns are real and which are synthetic.
func Example() {
	ctx := context.Background()
	res, err := england.LoadEmbedded(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := res.Model()
	if err != nil {
		fmt.Println(err)
		return
	}
	var current, history bytes.Buffer
	st, err := synth.Write(ctx, m, &current, &history, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("schools:", st.Schools, "history rows:", st.Rows)
	fmt.Println("labelled synthetic:", strings.Contains(current.String(), "SYNTHETIC"))
	// Output:
	// schools: 2243 history rows: 4486
	// labelled synthetic: true
}
