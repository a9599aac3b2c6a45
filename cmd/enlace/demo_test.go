package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestResetDemoDir(t *testing.T) {
	t.Run("creates a missing folder", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new")
		if err := resetDemoDir(dir); err != nil {
			t.Fatalf("resetDemoDir(missing) = %v", err)
		}
		if _, err := os.Stat(dir); err != nil {
			t.Errorf("folder not created: %v", err)
		}
	})
	t.Run("empties an earlier demo's folder", func(t *testing.T) {
		dir := t.TempDir()
		for _, name := range []string{"enlace.db", "enlace.db-wal", demoLogins} {
			os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600)
		}
		if err := resetDemoDir(dir); err != nil {
			t.Fatalf("resetDemoDir(demo folder) = %v", err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("folder still holds %d files", len(entries))
		}
	})
	t.Run("refuses a folder with other data", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "enlace.db"), []byte("real data"), 0o600)
		if err := resetDemoDir(dir); err == nil {
			t.Fatalf("resetDemoDir(real data) = nil, want an error")
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "enlace.db")); string(b) != "real data" {
			t.Errorf("real data was touched")
		}
	})
}
