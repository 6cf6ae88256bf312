package server

import (
	"io/fs"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// StaticFiles serves the files of fsys for a route whose wildcard is *file,
// with cacheControl and what http.ServeFileFS gives (content type, Range,
// If-Modified-Since). A directory is never listed: it, with or without its
// trailing slash, a name that is not a clean relative path (.., //) and a
// missing file are all answered by notFound, the face's own 404.
func StaticFiles(fsys fs.FS, cacheControl string, notFound gin.HandlerFunc) gin.HandlerFunc {
	return func(c *gin.Context) {
		name := strings.TrimPrefix(c.Param("file"), "/")
		if !fs.ValidPath(name) || name == "." {
			notFound(c)
			return
		}
		if st, err := fs.Stat(fsys, name); err != nil || st.IsDir() {
			notFound(c)
			return
		}
		c.Header("Cache-Control", cacheControl)
		http.ServeFileFS(c.Writer, c.Request, fsys, name)
	}
}
