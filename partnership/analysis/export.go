package analysis

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// graphMLKeys are the attributes WriteGraphML declares, in order.
var graphMLKeys = []struct{ id, target, name, typ string }{
	{"type", "node", "type", "string"},
	{"kind", "node", "kind", "string"},
	{"name", "node", "name", "string"},
	{"ref", "node", "ref", "string"},
	{"phase", "node", "phase", "string"},
	{"governance", "node", "governance", "string"},
	{"la", "node", "la", "int"},
	{"la_name", "node", "la_name", "string"},
	{"role", "edge", "role", "string"},
}

// WriteGraphML writes g to w as GraphML (http://graphml.graphdrawing.org),
// the form Gephi, networkx (read_graphml), yEd and Cytoscape read. The graph
// is undirected (edgedefault="undirected"), as membership is: an edge joins
// a member and its network, written with the member as source and the
// network as target only for a stable order. Node IDs are
// "n" followed by the node's ID; every attribute is declared by a key with
// its attr.type:
//
//   - type: "school", "organisation" or "network" (NodeKind);
//   - kind: the organisation kind or network kind ("school" for a school);
//   - name;
//   - ref: the school's URN, the organisation's ID or the network's ID;
//   - phase, governance, la (int), la_name: schools only;
//   - role (edges): the member's role in the network.
//
// Text is escaped for XML; characters XML cannot hold are replaced by
// U+FFFD. It returns the first error from w.
func WriteGraphML(w io.Writer, g *Graph) error {
	b := bufio.NewWriter(w)
	b.WriteString(xml.Header)
	b.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" ` +
		`xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
		`xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphMLKeys {
		b.WriteString(`  <key id="` + k.id + `" for="` + k.target + `" attr.name="` + k.name + `" attr.type="` + k.typ + `"/>` + "\n")
	}
	b.WriteString(`  <graph id="partnership" edgedefault="undirected">` + "\n")
	data := func(key, value string) {
		b.WriteString(`      <data key="` + key + `">`)
		xml.EscapeText(b, []byte(value))
		b.WriteString("</data>\n")
	}
	for _, n := range g.nodes {
		b.WriteString(`    <node id="n` + strconv.FormatInt(n.ID, 10) + `">` + "\n")
		a := attributes(n)
		data("type", a.typ)
		data("kind", a.kind)
		data("name", n.Name)
		data("ref", a.ref)
		if n.Kind == NodeSchool {
			data("phase", n.Phase.String())
			data("governance", n.Governance.String())
			data("la", strconv.Itoa(n.LA))
			data("la_name", n.LAName)
		}
		b.WriteString("    </node>\n")
	}
	for i, e := range g.edges {
		b.WriteString(`    <edge id="e` + strconv.Itoa(i) + `" source="n` + strconv.FormatInt(e.From, 10) +
			`" target="n` + strconv.FormatInt(e.To, 10) + `">` + "\n")
		data("role", e.Role.String())
		b.WriteString("    </edge>\n")
	}
	b.WriteString("  </graph>\n</graphml>\n")
	return b.Flush()
}

type nodeAttributes struct{ typ, kind, ref string }

func attributes(n Node) nodeAttributes {
	switch n.Kind {
	case NodeSchool:
		return nodeAttributes{"school", "school", n.URN.String()}
	case NodeOrganisation:
		return nodeAttributes{"organisation", n.OrgKind.String(), string(n.Org)}
	}
	return nodeAttributes{"network", n.NetworkKind.String(), string(n.Network)}
}

// WriteDOT writes g to w in the Graphviz DOT language as a digraph named
// "partnership", each edge running from a member to its network. Schools are
// ellipses, other organisations diamonds and networks boxes; each node is
// labelled with its name and carries the attributes of WriteGraphML (type,
// kind, ref, and for schools phase, governance, la and la_name), each edge
// its role. Every ID and value is a double-quoted string with backslashes,
// quotes and line breaks escaped. It returns the first error from w.
func WriteDOT(w io.Writer, g *Graph) error {
	b := bufio.NewWriter(w)
	b.WriteString("digraph partnership {\n")
	for _, n := range g.nodes {
		a := attributes(n)
		shape := map[NodeKind]string{NodeSchool: "ellipse", NodeOrganisation: "diamond", NodeNetwork: "box"}[n.Kind]
		attrs := [][2]string{{"label", n.Name}, {"shape", shape}, {"type", a.typ}, {"kind", a.kind}, {"ref", a.ref}}
		if n.Kind == NodeSchool {
			attrs = append(attrs, [2]string{"phase", n.Phase.String()}, [2]string{"governance", n.Governance.String()},
				[2]string{"la", strconv.Itoa(n.LA)}, [2]string{"la_name", n.LAName})
		}
		b.WriteString("  " + dotQuote("n"+strconv.FormatInt(n.ID, 10)) + " [")
		for i, kv := range attrs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(kv[0] + "=" + dotQuote(kv[1]))
		}
		b.WriteString("];\n")
	}
	for _, e := range g.edges {
		b.WriteString("  " + dotQuote("n"+strconv.FormatInt(e.From, 10)) + " -> " + dotQuote("n"+strconv.FormatInt(e.To, 10)) +
			" [role=" + dotQuote(e.Role.String()) + "];\n")
	}
	b.WriteString("}\n")
	return b.Flush()
}

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`)

// dotQuote returns s as a DOT double-quoted string.
func dotQuote(s string) string { return `"` + dotEscaper.Replace(s) + `"` }
