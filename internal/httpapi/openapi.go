package httpapi

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument describes every route of the router; a test keeps the two in step.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPIHandler serves the OpenAPI 3.0 document of this API.
func openAPIHandler(c *gin.Context) {
	c.Data(http.StatusOK, "application/json; charset=utf-8", openAPIDocument)
}
