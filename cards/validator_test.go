package cards

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The card validator is e2e/tools/validate-cards.js (Node, with the pinned
// npm adaptivecards). These helpers run it; the test below proves that it
// catches what it claims to catch.

// validatorReport is validate-cards.js's output.
type validatorReport struct {
	OK      bool `json:"ok"`
	Checked int  `json:"checked"`
	Failed  int  `json:"failed"`
	Cards   []struct {
		Name     string             `json:"name"`
		File     string             `json:"file"`
		Bytes    int                `json:"bytes"`
		OK       bool               `json:"ok"`
		Failures []validatorFailure `json:"failures"`
	} `json:"cards"`
}

type validatorFailure struct {
	Check   string `json:"check"`
	Event   string `json:"event"`
	Path    string `json:"path"`
	Source  string `json:"source"`
	Message string `json:"message"`
}

func (f validatorFailure) String() string {
	where := f.Path
	if where == "" {
		where = f.Source
	}
	what := f.Check
	if f.Event != "" {
		what += "/" + f.Event
	}
	return fmt.Sprintf("[%s] %s %s", what, where, f.Message)
}

// repoRoot is the module's root: the nearest parent of the working
// directory (the package's folder under go test) that holds go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// nodeMissing fails the test, or skips it when PARC_SKIP_NODE=1: a machine
// without Node must say so, never pass silently.
func nodeMissing(t *testing.T, why string) {
	t.Helper()
	msg := why + ": run `npm ci --prefix e2e` first"
	if os.Getenv("PARC_SKIP_NODE") == "1" {
		t.Skip(msg + " (skipped because PARC_SKIP_NODE=1)")
	}
	t.Fatal(msg + " (or set PARC_SKIP_NODE=1 to skip the card validation)")
}

// runValidator runs validate-cards.js once on every file and returns its
// report. A failing card is not an error here: the caller reads the report.
func runValidator(t *testing.T, files []string) validatorReport {
	t.Helper()
	root := repoRoot(t)
	e2e := filepath.Join(root, "e2e")
	if _, err := os.Stat(filepath.Join(e2e, "node_modules", "adaptivecards", "dist", "adaptivecards.js")); err != nil {
		nodeMissing(t, "e2e/node_modules is missing (no adaptivecards package)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		nodeMissing(t, "node is not on the PATH")
	}
	abs := make([]string, len(files))
	for i, f := range files {
		if abs[i], err = filepath.Abs(f); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{filepath.Join(e2e, "tools", "validate-cards.js")}, abs...)...)
	cmd.Dir = e2e
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("validate-cards.js: %v\n%s", err, stderr.String())
	}
	var report validatorReport
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("validate-cards.js printed no report (%v):\n%s\n%s", err, stdout.String(), stderr.String())
	}
	if (err == nil) != report.OK {
		t.Fatalf("validate-cards.js exit status (%v) disagrees with its report (ok=%v)", err, report.OK)
	}
	return report
}

// TestValidatorCatchesBrokenFixtures runs the validator on the fixtures of
// e2e/tools/testdata: each broken one must be reported for its fault, and
// the valid one (which uses every allowance) must pass.
func TestValidatorCatchesBrokenFixtures(t *testing.T) {
	dir := filepath.Join(repoRoot(t), "e2e", "tools", "testdata")
	// fixture -> failures that must be reported ("check" or "check/event",
	// and a fragment of the path or message).
	want := map[string][][2]string{
		"valid":                  nil,
		"unknown-property":       {{"unknown-property", "$.body[0].colour"}, {"unknown-property", "$.body[1].columns[0].items[0].wrapp"}, {"unknown-property", "$.actions[0].verbe"}},
		"unknown-element":        {{"parse/UnknownElementType", `"TextBox"`}, {"dropped-element", "$.body[1]"}, {"parse/UnknownActionType", `"Action.Sumbit"`}, {"dropped-element", "$.actions[0]"}},
		"required-input-label":   {{"validate/RequiredInputsShouldHaveLabel", "Input.Text#comment"}, {"validate/RequiredInputsShouldHaveErrorMessage", "Input.Text#comment"}},
		"empty-textblock":        {{"empty-text", "$.body[1]"}, {"empty-text", "$.body[2]"}},
		"oversize":               {{"size", "over Teams' 28672"}},
		"bad-enum":               {{"parse/InvalidPropertyValue", `"Huge"`}, {"unknown-property", "$.body[0].size"}},
		"duplicate-id":           {{"validate/DuplicateId", `"plate"`}},
		"empty-choiceset":        {{"validate/CollectionCantBeEmpty", "Input.ChoiceSet"}},
		"version-too-high":       {{"version", "above 1.5"}},
		"showcard-inner-version": {{"unknown-property", "$.actions[0].card.version"}},
		// Only Teams' people picker may use the 1.6 "choices.data".
		"data-query-other": {{"parse/UnsupportedProperty", `"choices.data"`}, {"unknown-property", "$.body[0].choices.data"}},
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(want) {
		t.Fatalf("%s has %d fixtures, the test knows %d: keep them in step", dir, len(files), len(want))
	}
	report := runValidator(t, files)
	if report.OK || report.Failed != len(want)-1 {
		t.Errorf("report: ok=%v failed=%d, want ok=false failed=%d", report.OK, report.Failed, len(want)-1)
	}
	for _, c := range report.Cards {
		expected, known := want[c.Name]
		if !known {
			t.Errorf("fixture %s: no expectation", c.Name)
			continue
		}
		if len(expected) == 0 && !c.OK {
			t.Errorf("fixture %s should pass, got:\n%s", c.Name, failuresText(c.Failures))
		}
		for _, w := range expected {
			if !hasFailure(c.Failures, w[0], w[1]) {
				t.Errorf("fixture %s: no %s failure mentioning %s; got:\n%s", c.Name, w[0], w[1], failuresText(c.Failures))
			}
		}
		// Nothing else than the fault under test: a fixture must prove one thing.
		for _, f := range c.Failures {
			if !matchesAny(f, expected) {
				t.Errorf("fixture %s: unexpected failure %s", c.Name, f)
			}
		}
	}
}

func hasFailure(fs []validatorFailure, check, fragment string) bool {
	for _, f := range fs {
		if matches(f, check, fragment) {
			return true
		}
	}
	return false
}

func matchesAny(f validatorFailure, expected [][2]string) bool {
	for _, w := range expected {
		if matches(f, w[0], w[1]) {
			return true
		}
	}
	return false
}

func matches(f validatorFailure, check, fragment string) bool {
	kind := f.Check
	if strings.Contains(check, "/") {
		kind += "/" + f.Event
	}
	return kind == check && strings.Contains(f.Path+" "+f.Source+" "+f.Message, fragment)
}

func failuresText(fs []validatorFailure) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}
