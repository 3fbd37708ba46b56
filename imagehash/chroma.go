package imagehash

import "image"

// Mean colour: the near-duplicate check's second look at two images whose
// hashes match (GroupNear's colour guard). pHash and dHash see luma only, so
// two photographs of one scene in different light, or a colour and a sepia
// print, can collide; their mean Cb and Cr tell them apart. It is computed
// from the image the hash is computed from: the DC plane for JPEGs
// (jpegdc.LumaPlane), the decoded image otherwise.

// chromaFromRGB turns mean R, G and B (0..255) into BT.601 Cb and Cr offsets
// from grey. The conversion is linear, so the mean of the per-pixel chroma is
// the chroma of the mean colour.
func chromaFromRGB(r, g, b float64) (cb, cr float32) {
	return float32(-0.168736*r - 0.331264*g + 0.5*b), float32(0.5*r - 0.418688*g - 0.081312*b)
}

// maxChromaSamples bounds the pixels read for a mean colour: a regular grid
// of a million points measures it to well within the colour check's
// tolerance, and costs a few milliseconds instead of a pass over 12 MP.
const maxChromaSamples = 1 << 20

// meanChroma is the mean BT.601 chroma of img as offsets from grey
// (-128..127). Transparent pixels count as composited over black, as the luma
// of the hash does.
func meanChroma(img image.Image) (cb, cr float32) {
	b := img.Bounds()
	if b.Empty() {
		return 0, 0
	}
	switch m := img.(type) {
	case *image.Gray, *image.Gray16:
		return 0, 0
	case *image.YCbCr:
		return meanYCbCrChroma(m)
	case *image.RGBA:
		return meanRGBA(m.Pix, m.Stride, b, false)
	case *image.NRGBA:
		return meanRGBA(m.Pix, m.Stride, b, true)
	case *image.Paletted:
		var count [256]int
		for y := 0; y < b.Dy(); y++ {
			for _, p := range m.Pix[y*m.Stride : y*m.Stride+b.Dx()] {
				count[p]++
			}
		}
		var r, g, bl float64
		for i, c := range m.Palette {
			cr, cg, cb, _ := c.RGBA()
			n := float64(count[i])
			r, g, bl = r+n*float64(cr), g+n*float64(cg), bl+n*float64(cb)
		}
		n := float64(b.Dx()*b.Dy()) * 257
		return chromaFromRGB(r/n, g/n, bl/n)
	}
	step := chromaStep(b)
	var r, g, bl, n float64
	for y := b.Min.Y; y < b.Max.Y; y += step {
		for x := b.Min.X; x < b.Max.X; x += step {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			r, g, bl, n = r+float64(cr), g+float64(cg), bl+float64(cb), n+1
		}
	}
	n *= 257
	return chromaFromRGB(r/n, g/n, bl/n)
}

// meanRGBA averages 4-byte RGBA pixels on a grid of at most
// maxChromaSamples points; premultiply composites NRGBA over black.
func meanRGBA(pix []byte, stride int, b image.Rectangle, premultiply bool) (cb, cr float32) {
	step := chromaStep(b)
	var r, g, bl, n uint64
	for y := 0; y < b.Dy(); y += step {
		row := pix[y*stride : y*stride+4*b.Dx()]
		for i := 0; i+3 < len(row); i += 4 * step {
			a := uint64(1)
			if premultiply {
				a = uint64(row[i+3])
			}
			r += uint64(row[i]) * a
			g += uint64(row[i+1]) * a
			bl += uint64(row[i+2]) * a
			n++
		}
	}
	d := float64(n)
	if premultiply {
		d *= 255
	}
	return chromaFromRGB(float64(r)/d, float64(g)/d, float64(bl)/d)
}

// chromaStep is the grid spacing that keeps a mean colour to at most
// maxChromaSamples reads of b.
func chromaStep(b image.Rectangle) int {
	step := 1
	for ((b.Dx()+step-1)/step)*((b.Dy()+step-1)/step) > maxChromaSamples {
		step++
	}
	return step
}

// meanYCbCrChroma averages the Cb and Cr planes over the samples that cover
// the image (each chroma sample counts once, whatever the subsampling).
func meanYCbCrChroma(m *image.YCbCr) (cb, cr float32) {
	b := m.Rect
	// The chroma samples of the first and last pixel bound the planes' region.
	c0 := m.COffset(b.Min.X, b.Min.Y)
	cx1 := m.COffset(b.Max.X-1, b.Min.Y) - c0 + 1
	rows := (m.COffset(b.Min.X, b.Max.Y-1)-c0)/m.CStride + 1
	var sb, sr uint64
	for y := 0; y < rows; y++ {
		o := c0 + y*m.CStride
		for _, v := range m.Cb[o : o+cx1] {
			sb += uint64(v)
		}
		for _, v := range m.Cr[o : o+cx1] {
			sr += uint64(v)
		}
	}
	n := float64(cx1 * rows)
	return float32(float64(sb)/n - 128), float32(float64(sr)/n - 128)
}
