package jpegdc

import (
	"image"
	"image/color"
)

// meanOffset is the mean of component i's samples minus 128 (clamped per
// block as a decoder would), each block weighted by how many of its 8x8
// samples lie inside the component.
func (d *decoder) meanOffset(i int) float32 {
	c := &d.comps[i]
	q := float64(d.qt[c.tq][0]) / 8
	lastW := float64(c.compW - 8*(c.blocksW-1))
	lastH := float64(c.compH - 8*(c.blocksH-1))
	var sum float64
	for y := 0; y < c.blocksH; y++ {
		row := c.dc[y*c.bw : y*c.bw+c.blocksW]
		var rs float64
		for x, v := range row {
			s := min(127, max(-128, float64(v)*q))
			if x == len(row)-1 {
				s *= lastW / 8
			}
			rs += s
		}
		if y == c.blocksH-1 {
			rs *= lastH / 8
		}
		sum += rs
	}
	return float32(sum * 64 / (float64(c.compW) * float64(c.compH)))
}

// plane converts component i's DC values to 8-bit samples: a block whose only
// coefficient is DC has, by the IDCT (A.3.3, C(0) = 1/sqrt 2), the constant
// value DC*q/8, plus the level shift of 128 (A.3.1).
func (d *decoder) plane(i int, w, h, stride int, dst []byte) {
	c := &d.comps[i]
	q := int32(d.qt[c.tq][0])
	for y := 0; y < h; y++ {
		src := c.dc[y*c.bw : y*c.bw+w]
		out := dst[y*stride : y*stride+w]
		for x, v := range src {
			p := (int32(v)*q+4)>>3 + 128
			if uint32(p) > 255 {
				if p < 0 {
					p = 0
				} else {
					p = 255
				}
			}
			out[x] = byte(p)
		}
	}
}

func (d *decoder) image() image.Image {
	w := (d.width + 7) / 8
	h := (d.height + 7) / 8
	r := image.Rect(0, 0, w, h)
	switch len(d.comps) {
	case 1:
		img := image.NewGray(r)
		d.plane(0, w, h, img.Stride, img.Pix)
		return img
	case 3:
		ycc := d.ycbcr(r)
		if d.isRGB() {
			// The three planes hold R, G and B.
			img := image.NewRGBA(r)
			d.interleave(img.Pix, img.Stride, w, h, ycc, nil, false)
			return img
		}
		return ycc
	default: // 4
		ycc := d.ycbcr(r)
		k := make([]byte, w*h)
		kc := &d.comps[3]
		kw, kh := (kc.blocksW), (kc.blocksH)
		kp := make([]byte, kw*kh)
		d.plane(3, kw, kh, kw, kp)
		for y := 0; y < h; y++ {
			sy := y * kc.v / d.vmax
			for x := 0; x < w; x++ {
				k[y*w+x] = kp[sy*kw+x*kc.h/d.hmax]
			}
		}
		img := image.NewCMYK(r)
		if d.adobeXform != 0 {
			// YCCK: YCbCr to RGB, inverted to CMY, and K inverted (as image/jpeg).
			for y := 0; y < h; y++ {
				for x := 0; x < w; x++ {
					yi, ci := ycc.YOffset(x, y), ycc.COffset(x, y)
					rr, gg, bb := color.YCbCrToRGB(ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci])
					o := y*img.Stride + 4*x
					img.Pix[o] = rr
					img.Pix[o+1] = gg
					img.Pix[o+2] = bb
					img.Pix[o+3] = 255 - k[y*w+x]
				}
			}
			return img
		}
		d.interleave(img.Pix, img.Stride, w, h, ycc, k, true)
		return img
	}
}

// ycbcr puts the first three components in an image.YCbCr of the DC size.
func (d *decoder) ycbcr(r image.Rectangle) *image.YCbCr {
	c0, c1 := d.comps[0], d.comps[1]
	ratio := image.YCbCrSubsampleRatio444
	switch [2]int{c0.h / c1.h, c0.v / c1.v} {
	case [2]int{2, 1}:
		ratio = image.YCbCrSubsampleRatio422
	case [2]int{2, 2}:
		ratio = image.YCbCrSubsampleRatio420
	case [2]int{1, 2}:
		ratio = image.YCbCrSubsampleRatio440
	case [2]int{4, 1}:
		ratio = image.YCbCrSubsampleRatio411
	case [2]int{4, 2}:
		ratio = image.YCbCrSubsampleRatio410
	}
	img := image.NewYCbCr(r, ratio)
	d.plane(0, r.Dx(), r.Dy(), img.YStride, img.Y)
	cw, ch := img.CStride, len(img.Cb)/img.CStride
	cw = min(cw, d.comps[1].bw)
	ch = min(ch, d.comps[1].bh)
	d.plane(1, cw, ch, img.CStride, img.Cb)
	d.plane(2, cw, ch, img.CStride, img.Cr)
	return img
}

// interleave writes the three planes of ycc (and k, if set) as 4-byte pixels,
// inverted when invert is set (Adobe CMYK).
func (d *decoder) interleave(pix []byte, stride, w, h int, ycc *image.YCbCr, k []byte, invert bool) {
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			yi, ci := ycc.YOffset(x, y), ycc.COffset(x, y)
			o := y*stride + 4*x
			a, b, c, e := ycc.Y[yi], ycc.Cb[ci], ycc.Cr[ci], byte(255)
			if k != nil {
				e = k[y*w+x]
			}
			if invert {
				a, b, c, e = 255-a, 255-b, 255-c, 255-e
			}
			pix[o], pix[o+1], pix[o+2], pix[o+3] = a, b, c, e
		}
	}
}
