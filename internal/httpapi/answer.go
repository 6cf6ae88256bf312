package httpapi

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/newsroom-vn/newsroom/internal/respond"
	"github.com/newsroom-vn/newsroom/internal/user"
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

// idFrom reads the id of a route's resource from its path.
type idFrom func(c *gin.Context) (string, error)

var (
	// uuidID is the path id, which must be a UUID (400 otherwise).
	uuidID idFrom = func(c *gin.Context) (string, error) { return pathUUID(c, "id") }
	// rawID is the path id as sent: the service finds nothing under a
	// malformed one (404).
	rawID idFrom = func(c *gin.Context) (string, error) { return c.Param("id"), nil }
)

// callByID runs m, a service method of the caller on one resource, on the
// path id: most routes under /{collection}/:id are this call and an answer.
func callByID[T any](c *gin.Context, id idFrom, m func(context.Context, user.Actor, string) (T, error)) (T, error) {
	s, err := id(c)
	if err != nil {
		var zero T
		return zero, err
	}
	return m(c.Request.Context(), actor(c), s)
}

// answerByID answers with status what m gives for the path id.
func answerByID[T any](c *gin.Context, status int, id idFrom, m func(context.Context, user.Actor, string) (T, error)) error {
	v, err := callByID(c, id, m)
	return answer(c, status, v, err)
}

// listByID answers the whole list (one page) that m gives for the path id.
func listByID[T any](c *gin.Context, id idFrom, m func(context.Context, user.Actor, string) ([]T, error)) error {
	items, err := callByID(c, id, m)
	return answerList(c, items, "", err)
}

// removeByID answers 204 once m has removed (or revoked) the path id's
// resource.
func removeByID(c *gin.Context, id idFrom, m func(context.Context, user.Actor, string) error) error {
	s, err := id(c)
	if err != nil {
		return err
	}
	return noContent(c, m(c.Request.Context(), actor(c), s))
}

// callWithBody decodes the JSON body as an In and runs m, a service method
// of the caller, on it: the creation routes.
func callWithBody[In, T any](c *gin.Context, m func(context.Context, user.Actor, In) (T, error)) (T, error) {
	in, err := decode[In](c)
	if err != nil {
		var zero T
		return zero, err
	}
	return m(c.Request.Context(), actor(c), in)
}

// callByIDWithBody reads the path id, then decodes the JSON body as an In
// and runs m, a service method of the caller, on both: the change routes
// without If-Match.
func callByIDWithBody[In, T any](c *gin.Context, id idFrom, m func(context.Context, user.Actor, string, In) (T, error)) (T, error) {
	s, err := id(c)
	if err != nil {
		var zero T
		return zero, err
	}
	return callWithBody(c, func(ctx context.Context, a user.Actor, in In) (T, error) { return m(ctx, a, s, in) })
}
