package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// as is a checked type assertion for tests: a value of another type fails the
// test, naming both types, instead of panicking.
func as[T any](t testing.TB, v any) T {
	t.Helper()
	got, ok := v.(T)
	if !ok {
		t.Fatalf("got a %T, want a %T", v, got)
	}
	return got
}

// fakeClock is a per-test clock; each test builds its own provider around one.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock(now time.Time) *fakeClock { return &fakeClock{now: now} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

func factories(clock Clock) map[string]func() (tfprotov6.ProviderServer, error) {
	p := NewWithClock("test", clock)()
	return map[string]func() (tfprotov6.ProviderServer, error){
		"mcptls": func() (tfprotov6.ProviderServer, error) { return NewServer(p), nil },
	}
}

// caConfig is an ECDSA CA, so tests that are not about RSA-4096 stay fast.
const caConfig = `
resource "mcptls_ca" "ca" {
  key_algorithm = "ECDSA"
  validity_days = 365
}
`

// leafConfig signs a resource of the given type with the CA of caConfig.
func leafConfig(typ, name, body string) string {
	return fmt.Sprintf(`
resource %q %q {
  ca_cert_pem        = mcptls_ca.ca.cert_pem
  ca_private_key_pem = mcptls_ca.ca.private_key_pem
  key_algorithm      = "ECDSA"
%s
}
`, typ, name, body)
}

func TestProviderSchemaIsValid(t *testing.T) {
	t.Parallel()
	if _, err := factories(SystemClock{})["mcptls"](); err != nil {
		t.Fatal(err)
	}
}

// underOpenTofu tells whether the acceptance engine is OpenTofu, for the
// few places its behaviour is recorded apart from Terraform's.
func underOpenTofu() bool {
	return strings.Contains(filepath.Base(os.Getenv("TF_ACC_TERRAFORM_PATH")), "tofu")
}
