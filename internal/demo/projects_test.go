package demo_test

import (
	"context"
	"strings"
	"testing"

	"github.com/enlace-portal/enlace/internal/activation"
	"github.com/enlace-portal/enlace/internal/enlace"
	"github.com/enlace-portal/enlace/internal/identity"
)

// TestSeedProjects: one project of every shipped runbook, each at the
// stage the issue names: waiting on a customer document, on the payment
// gate, in parallel operation before the point of no return.
func TestSeedProjects(t *testing.T) {
	ctx := context.Background()
	seeded := seedAll(t)
	projects := seeded.projects
	staff := enlace.WithActor(ctx, &enlace.Actor{UserID: "x", StaffRole: identity.StaffPM})
	list, total, err := projects.Projects(staff, activation.ProjectFilter{})
	if err != nil || total != 4 {
		t.Fatalf("projects = %d, %v; want 4", total, err)
	}
	stage := map[string]func(v *activation.View) bool{
		"teams-cloud-voice": func(v *activation.View) bool {
			csr := byKey(v, "porting-csr")
			return csr.Status == activation.TaskReady && csr.GateMetAt == nil && byKey(v, "porting-phone-bill").Status == activation.TaskDone
		},
		"officeconnect-ucaas": func(v *activation.View) bool {
			pay := byKey(v, "pay-nrc")
			return pay.Status == activation.TaskReady && pay.GateMetAt == nil && byKey(v, "introduce-pm").Status == activation.TaskPending
		},
		"ip-centrex": func(v *activation.View) bool {
			// The reachability tasks were done by the list of people.
			plan, err := seeded.reach.Plan(staff, v.Project.ID)
			if err != nil || len(plan.Lines) != 8 {
				t.Errorf("the migration's list = %v, %v; want 8 people", plan, err)
				return false
			}
			for _, l := range plan.Lines {
				if !strings.HasPrefix(l.TemporaryE164, "+5233") || l.ClipAt == nil || l.ForwardingAt == nil || l.TrunkName == "" {
					t.Errorf("%s: provisional %q, CLIP %v, forwarding %v, trunk %q", l.Person, l.TemporaryE164, l.ClipAt, l.ForwardingAt, l.TrunkName)
				}
			}
			for _, key := range []string{"provisional-numbers", "clip-no-screening", "call-forwarding"} {
				if tk := byKey(v, key); tk.Status != activation.TaskDone || tk.DoneBy != "" {
					t.Errorf("%s = %s by %q, want done by the list", key, tk.Status, tk.DoneBy)
				}
			}
			return byKey(v, "parallel-operation").Status == activation.TaskInProgress &&
				byKey(v, "shutdown-old-system").Status == activation.TaskPending && v.Project.BillingStart != nil
		},
		"hosted-exchange": func(v *activation.View) bool {
			return byKey(v, "nic-delegation").Status == activation.TaskInProgress && byKey(v, "customer-panel").Status == activation.TaskReady
		},
	}
	for _, p := range list {
		v, err := projects.Project(staff, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if check := stage[p.TemplateKey]; check == nil || !check(v) {
			t.Errorf("demo project %s is not at its stage", p.TemplateKey)
		}
	}
}

func byKey(v *activation.View, key string) *activation.Task {
	for i := range v.Tasks {
		if v.Tasks[i].Key == key {
			return &v.Tasks[i]
		}
	}
	return &activation.Task{}
}
