// Canonicalises JSON bodies the way Revenue Monster's Go SDK does before signing (rm-go-sdk
// signature.go: mxj.NewMapJson, then Map.Json(true), then json.Compact), so the differential test can
// compare this package's canonical JSON with real Go output. Written for the test; not RM's code.
//
// Protocol, one batch: stdin holds one base64 body per line; stdout first prints
// "go <runtime version>", then one line per input: "ok <base64 canonical bytes>" or "err <message>".
// Build offline in GOPATH mode: GO111MODULE=off GOPATH=/usr/share/gocode go build .
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"runtime"

	"github.com/clbanning/mxj"
)

// canonical is the server's view of a body: decode into a map (numbers become float64), marshal
// with HTML-safe escaping (Go sorts map keys), then compact.
func canonical(body []byte) ([]byte, error) {
	decoded, err := mxj.NewMapJson(body)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	marshalled, err := decoded.Json(true)
	if err != nil {
		return nil, fmt.Errorf("marshal: %w", err)
	}
	var compacted bytes.Buffer
	if err := json.Compact(&compacted, marshalled); err != nil {
		return nil, fmt.Errorf("compact: %w", err)
	}
	return compacted.Bytes(), nil
}

func main() {
	in := bufio.NewReaderSize(os.Stdin, 1<<20)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	fmt.Fprintf(out, "go %s\n", runtime.Version())
	for {
		line, readErr := in.ReadString('\n')
		line = string(bytes.TrimRight([]byte(line), "\r\n"))
		if line != "" {
			body, err := base64.StdEncoding.DecodeString(line)
			if err == nil {
				var result []byte
				result, err = canonical(body)
				if err == nil {
					fmt.Fprintf(out, "ok %s\n", base64.StdEncoding.EncodeToString(result))
				}
			}
			if err != nil {
				fmt.Fprintf(out, "err %q\n", err.Error())
			}
		}
		if readErr != nil {
			return
		}
	}
}
