package testutil

import (
	"bytes"
	"mime/multipart"
	"net/textproto"
)

// MultipartFile is the body of an upload to POST /api/v1/assets: the form
// fields (name, value pairs), then data as the part "file" called filename
// of type ctype; it returns the body and its Content-Type.
// (cmdtests helper, issue 12.)
func MultipartFile(filename, ctype string, data []byte, fields ...[2]string) (body []byte, contentType string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range fields {
		_ = mw.WriteField(kv[0], kv[1])
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="file"; filename="`+filename+`"`)
	hdr.Set("Content-Type", ctype)
	pw, _ := mw.CreatePart(hdr)
	_, _ = pw.Write(data)
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}
