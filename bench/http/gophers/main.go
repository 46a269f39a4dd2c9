// bench/http/gophers/main.go — the HTTP benchmark's schema and data served
// by graph-gophers/graphql-go (Debian's golang-github-graph-gophers-graphql-go-dev)
// with its relay handler on net/http.
//
// graph-gophers resolves fields through Go methods or, with
// UseFieldResolvers, through struct fields of the same name (case
// ignored). So data.json is decoded once into plain structs shaped like the
// schema, and those fields answer the queries: the Go counterpart of a JSON
// root value read by default resolvers. Nullable fields are pointers.
//
// Build (no module download; Debian's GOPATH):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o gophers bench/http/gophers/main.go
//
// Run:
//
//	gophers -schema bench/data/exec/schema.graphql -data bench/data/exec/data.json -listen 127.0.0.1:8080
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	graphql "github.com/graph-gophers/graphql-go"
	"github.com/graph-gophers/graphql-go/relay"
)

type query struct {
	Hello   string
	Items   []*item
	Catalog *catalog
}

type item struct {
	ID          graphql.ID
	Sku         string
	Name        string
	Description *string
	Price       float64
	Rating      *float64
	Stock       int32
	Views       *int32
	Available   bool
	Status      string
	Seller      *seller
	Location    *location
	Reviews     []*review
}

type seller struct {
	ID       graphql.ID
	Name     string
	Email    *string
	Verified bool
	Score    *float64
}

type location struct {
	City      string
	Country   string
	Latitude  float64
	Longitude float64
}

type review struct {
	ID      graphql.ID
	Stars   int32
	Title   *string
	Helpful bool
}

type catalog struct {
	ID          graphql.ID
	Name        string
	Updated     string
	Departments []*department
}

type department struct {
	ID         graphql.ID
	Name       string
	Categories []*category
}

type category struct {
	ID    graphql.ID
	Name  string
	Items []*item
}

func main() {
	schemaFile := flag.String("schema", "", "schema SDL file")
	dataFile := flag.String("data", "", "root value JSON file")
	listen := flag.String("listen", "127.0.0.1:8080", "host:port to listen on")
	flag.Parse()
	if *schemaFile == "" || *dataFile == "" {
		fmt.Fprintln(os.Stderr, "usage: gophers -schema FILE -data FILE [-listen HOST:PORT]")
		os.Exit(2)
	}

	sdl, err := os.ReadFile(*schemaFile)
	if err != nil {
		log.Fatal(err)
	}
	text, err := os.ReadFile(*dataFile)
	if err != nil {
		log.Fatal(err)
	}
	root := &query{}
	// encoding/json matches object keys to field names without regard to case.
	if err := json.Unmarshal(text, root); err != nil {
		log.Fatalf("%s: %v", *dataFile, err)
	}

	schema, err := graphql.ParseSchema(string(sdl), root,
		graphql.UseFieldResolvers(), graphql.UseStringDescriptions())
	if err != nil {
		log.Fatalf("%s: %v", *schemaFile, err)
	}

	mux := http.NewServeMux()
	mux.Handle("/graphql", &relay.Handler{Schema: schema})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "graphql-go: listening on http://%s/graphql\n", ln.Addr())
	log.Fatal(http.Serve(ln, mux))
}
