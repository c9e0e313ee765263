package provider

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/mcptls/terraform-provider-mcptls/internal/envmap"
)

// adapter is one of the provider's functions: its signature, and run, which
// reads the arguments into a pure input (envmap, yamlrender), lets it check
// itself and renders. Every function is an adapter, so every error is
// reported the same way: an error tagged with a field (envmap.FieldError)
// names the argument of that name ("options.existing_tls" and "options[1]"
// name the options argument and its item); any other error is the
// function's own.
type adapter struct {
	name, summary, description string
	params                     []function.Parameter
	variadic                   function.Parameter
	ret                        function.Return
	run                        func(ctx context.Context, a arguments) (any, error)
}

func (f adapter) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = f.name
}

func (f adapter) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{Summary: f.summary, Description: f.description, Parameters: f.params, VariadicParameter: f.variadic, Return: f.ret}
}

func (f adapter) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	a := arguments{params: f.params, values: argumentTargets(f.params)}
	targets := a.values
	if f.variadic != nil {
		targets = append(targets, &a.variadic)
	}
	if resp.Error = req.Arguments.Get(ctx, targets...); resp.Error != nil {
		return
	}
	out, err := f.run(ctx, a)
	if err != nil {
		resp.Error = f.argumentError(err)
		return
	}
	resp.Error = resp.Result.Set(ctx, out)
}

// argumentError reports err on the argument its field names.
func (f adapter) argumentError(err error) *function.FuncError {
	var fe *envmap.FieldError
	if !errors.As(err, &fe) {
		return function.NewFuncError(err.Error())
	}
	name, item := fe.Field, 0
	if i := strings.IndexAny(name, ".["); i >= 0 {
		if strings.HasPrefix(name[i:], "[") {
			item, _ = strconv.Atoi(strings.Trim(name[i:], "[]"))
		}
		name = name[:i]
	}
	for i, p := range f.params {
		if p.GetName() == name {
			return function.NewArgumentFuncError(int64(i), err.Error())
		}
	}
	if f.variadic != nil && f.variadic.GetName() == name {
		return function.NewArgumentFuncError(int64(len(f.params)+item), err.Error())
	}
	return function.NewFuncError(err.Error())
}

// argumentTargets makes a variable of the right type for each parameter.
func argumentTargets(params []function.Parameter) []any {
	args := make([]any, len(params))
	for i, p := range params {
		switch p := p.(type) {
		case function.StringParameter:
			args[i] = new(string)
		case function.BoolParameter:
			args[i] = new(bool)
		case function.NumberParameter:
			args[i] = new(types.Number)
		case function.ObjectParameter:
			args[i] = new(types.Object)
		case function.MapParameter:
			if p.ElementType == types.StringType {
				args[i] = new(map[string]string)
			} else {
				args[i] = new(types.Map)
			}
		}
	}
	return args
}

// arguments are a call's values, read by parameter name.
type arguments struct {
	params   []function.Parameter
	values   []any
	variadic types.Tuple
}

func (a arguments) value(name string) any {
	for i, p := range a.params {
		if p.GetName() == name {
			return a.values[i]
		}
	}
	return nil
}

func (a arguments) str(name string) string {
	if v, ok := a.value(name).(*string); ok {
		return *v
	}
	return ""
}

func (a arguments) boolean(name string) bool {
	v, ok := a.value(name).(*bool)
	return ok && *v
}

func (a arguments) stringMap(name string) map[string]string {
	if v, ok := a.value(name).(*map[string]string); ok {
		return *v
	}
	return nil
}

func (a arguments) object(name string) types.Object {
	if v, ok := a.value(name).(*types.Object); ok {
		return *v
	}
	return types.ObjectNull(nil)
}

func (a arguments) objectMap(name string) types.Map {
	if v, ok := a.value(name).(*types.Map); ok {
		return *v
	}
	return types.MapNull(types.StringType)
}

// whole reads a number argument that must be an integer (ports,
// ssl_cert_reqs): 8000.5 is an error on that argument, where the framework's
// own conversion would blame the provider.
func (a arguments) whole(name string) (int, error) {
	v, ok := a.value(name).(*types.Number)
	if !ok || v.IsNull() || v.IsUnknown() {
		return 0, &envmap.FieldError{Field: name, Err: fmt.Errorf("%s must be a whole number", name)}
	}
	f := v.ValueBigFloat()
	n, accuracy := f.Int64()
	if !f.IsInt() || accuracy != big.Exact || n < -1<<31 || n > 1<<31 {
		return 0, &envmap.FieldError{Field: name, Err: fmt.Errorf("%s must be a whole number, got %s", name, numberText(f))}
	}
	return int(n), nil
}

// listener reads the arguments every plugin server function takes. A
// number that is not whole is an error, and stands in as a valid one so the
// other arguments are still checked: first() picks what to report.
func (a arguments) listener() (envmap.Listener, error) {
	l := envmap.Listener{Plugin: a.str("name"), CertDir: a.str("cert_dir"), Host: a.str("host")}
	port, portErr := a.whole("port")
	reqs, reqsErr := a.whole("ssl_cert_reqs")
	if portErr != nil {
		port = 1
	}
	if reqsErr != nil {
		reqs = envmap.DefaultSSLCertReqs
	}
	l.Port, l.CertReqs = port, reqs
	return l, a.first(portErr, reqsErr)
}

// first is the error on the earliest argument, as a user reads them.
func (a arguments) first(errs ...error) error {
	var best error
	bestAt := len(a.params) + 1
	for _, err := range errs {
		if err == nil {
			continue
		}
		at := len(a.params)
		for i, p := range a.params {
			if p.GetName() == envmap.FieldOf(err) {
				at = i
			}
		}
		if at < bestAt {
			best, bestAt = err, at
		}
	}
	return best
}

// variadicValues are the values of the variadic parameter, dynamic ones
// unwrapped.
func (a arguments) variadicValues() []attr.Value { return a.variadic.Elements() }
