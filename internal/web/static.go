package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var staticFS embed.FS

// staticFiles serves the embedded static files under names that carry a
// hash of their content (app.1a2b3c4d5e.css), so that browsers may cache
// them for a year and still see a new version the moment it ships.
type staticFiles struct {
	byHashed map[string]staticFile
	hashed   map[string]string // plain name -> hashed name
}

type staticFile struct {
	data        []byte
	contentType string
}

func loadStatic() (*staticFiles, error) {
	st := &staticFiles{byHashed: map[string]staticFile{}, hashed: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		data, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(data)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		st.hashed[e.Name()] = name
		st.byHashed[name] = staticFile{data: data, contentType: mime.TypeByExtension(ext)}
	}
	return st, nil
}

// path returns the URL of a static file by its plain name.
func (st *staticFiles) path(name string) string {
	if h, ok := st.hashed[name]; ok {
		return "/static/" + h
	}
	return "/static/" + name
}

func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := st.byHashed[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(f.data)
}
