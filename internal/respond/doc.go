// Package respond is the one place where the three faces (the JSON API, the
// public site with its content API, and the desk) turn results and errors
// into HTTP answers.
//
// A face writes its handlers as HandlerFunc, func(*gin.Context) error, and
// wraps each once with Handle (or registers it through With(group, renderer)).
// A nil error means the handler has answered; an error goes through Classify,
// which maps apperr codes to statuses with apperr.Code.HTTPStatus, turns an
// oversize body into 413 and a lost database into 503 with Retry-After, and
// logs internal errors with the request id while the user only sees
// "Internal error". The resulting Problem is then written by the face's
// ErrorRenderer:
//
//   - the JSON API uses JSONErrors, whose body {"error":{"code","message",
//     "details"},"request_id"} is a public interface (tests and the OpenAPI
//     document rely on it);
//   - the desk and the site plug their own renderer (an HTML page in the
//     reader's language) and keep the same status mapping.
//
// Optional services are guarded once per route group with
// ErrorRenderer.Require; list endpoints page with Cursor and answer List.
// The request id and the request-scoped logger are set by the server's
// middleware (SetRequest) and read here by every face (RequestID, Logger).
package respond
