package httpapi

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
)

// The answers of the handlers. Most handlers end with one service call whose
// result and error go straight into one of these, so that each handler reads
// as "read the input, call the service, answer" and the error path is the
// same everywhere: a service error is returned for respond.JSONErrors.

// answer writes v as JSON with status, or returns err when the call that
// produced v failed.
func answer(c *gin.Context, status int, v any, err error) error {
	if err != nil {
		return err
	}
	respond.JSON(c, status, v)
	return nil
}

// answerCreated answers 201 with v, a new resource, and its location.
func answerCreated(c *gin.Context, location string, v any) error {
	c.Header("Location", location)
	respond.JSON(c, http.StatusCreated, v)
	return nil
}

// answerList writes items as one page of a list (200); next is the token of
// the following page, "" on the last one.
func answerList[T any](c *gin.Context, items []T, next string, err error) error {
	return answer(c, http.StatusOK, respond.NewList(items, next), err)
}

// answerVersioned writes v, a resource guarded by If-Match, with status and
// the ETag of its version, which the client sends back to change it.
func answerVersioned(c *gin.Context, status int, v any, version int) error {
	c.Header("ETag", etag(version))
	respond.JSON(c, status, v)
	return nil
}

// noContent answers 204, or returns err when the call failed.
func noContent(c *gin.Context, err error) error {
	if err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}
