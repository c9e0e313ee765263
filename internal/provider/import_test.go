package provider

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// importDir runs a resource's ImportState for a directory, as `terraform import` does.
func importDir(r resource.Resource, id string) resource.ImportStateResponse {
	ctx := context.Background()
	var s resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &s)
	resp := resource.ImportStateResponse{State: tfsdk.State{Schema: s.Schema, Raw: tftypes.NewValue(s.Schema.Type().TerraformType(ctx), nil)}}
	r.(resource.ResourceWithImportState).ImportState(ctx, resource.ImportStateRequest{ID: id}, &resp)
	return resp
}

// TestImportRefusesSpecialFiles: an import never hangs on a FIFO nor reads
// /dev/zero until memory runs out; it names the file and what it is.
func TestImportRefusesSpecialFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs or /dev/zero")
	}
	for name, create := range map[string]func(path string) error{
		"a named pipe (FIFO)": func(path string) error { return syscall.Mkfifo(path, 0o600) },
		"a character device":  func(path string) error { return os.Symlink("/dev/zero", path) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "gateway")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := create(filepath.Join(dir, "client.crt")); err != nil {
				t.Fatal(err)
			}
			result := make(chan resource.ImportStateResponse, 1)
			go func() { result <- importDir(NewGatewayCertResource(), dir) }()
			select {
			case resp := <-result:
				if !resp.Diagnostics.HasError() {
					t.Fatal("import succeeded")
				}
				detail := resp.Diagnostics.Errors()[0].Detail()
				if !strings.Contains(detail, filepath.Join(dir, "client.crt")) || !strings.Contains(detail, name) {
					t.Errorf("error %q does not name the file and what it is", detail)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("import blocked")
			}
		})
	}
}
