package testutil

// Written by the renditions helper (issue 12 point 6).

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// JPEG is a real w×h JPEG photo with some detail in it (gradients and a
// pattern), for uploads whose renditions a test looks at.
func JPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x * 255 / w), uint8(y * 255 / h), uint8((x ^ y) & 0xff), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
