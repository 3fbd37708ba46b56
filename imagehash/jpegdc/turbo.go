//go:build cgo && libjpegturbo

package jpegdc

/*
#cgo LDFLAGS: -ljpeg
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

struct sb_err {
	struct jpeg_error_mgr pub;
	jmp_buf jb;
	char msg[JMSG_LENGTH_MAX];
};

static void sb_error_exit(j_common_ptr c) {
	struct sb_err *e = (struct sb_err *)c->err;
	(*c->err->format_message)(c, e->msg);
	longjmp(e->jb, 1);
}

static void sb_output_message(j_common_ptr c) {}

// sb_luma8 decodes data at 1/8 scale to 8-bit luma, or to interleaved Y, Cb,
// Cr for colour JPEGs (*nc = 1 or 3; malloc'd into *out). Returns 0 on
// success; -1 with msg set on an error, on colour spaces other than gray and
// YCbCr, or on any warning (libjpeg only warns about truncated data and fills
// the rest with grey).
static int sb_luma8(const unsigned char *data, unsigned long n, unsigned char **out,
                    int *w, int *h, int *nc, int *fw, int *fh, char *msg, int msglen) {
	struct jpeg_decompress_struct cinfo;
	struct sb_err err;
	unsigned char *volatile buf = NULL;
	*out = NULL;
	cinfo.err = jpeg_std_error(&err.pub);
	err.pub.error_exit = sb_error_exit;
	err.pub.output_message = sb_output_message;
	if (setjmp(err.jb)) {
		strncpy(msg, err.msg, msglen - 1);
		msg[msglen - 1] = 0;
		jpeg_destroy_decompress(&cinfo);
		free(buf);
		return -1;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, n);
	jpeg_read_header(&cinfo, TRUE);
	*fw = cinfo.image_width;
	*fh = cinfo.image_height;
	cinfo.scale_num = 1;
	cinfo.scale_denom = 8;
	if (cinfo.jpeg_color_space == JCS_YCbCr) {
		cinfo.out_color_space = JCS_YCbCr;
	} else if (cinfo.jpeg_color_space == JCS_GRAYSCALE) {
		cinfo.out_color_space = JCS_GRAYSCALE;
	} else {
		strncpy(msg, "not a gray or YCbCr JPEG", msglen);
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	cinfo.dct_method = JDCT_ISLOW;
	jpeg_start_decompress(&cinfo);
	*w = cinfo.output_width;
	*h = cinfo.output_height;
	*nc = cinfo.output_components;
	buf = malloc((size_t)cinfo.output_width * cinfo.output_height * cinfo.output_components);
	if (buf == NULL) {
		strncpy(msg, "out of memory", msglen);
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = buf + (size_t)cinfo.output_scanline * cinfo.output_width * cinfo.output_components;
		jpeg_read_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_decompress(&cinfo);
	if (err.pub.num_warnings > 0) {
		(*err.pub.format_message)((j_common_ptr)&cinfo, err.msg);
		strncpy(msg, err.msg, msglen - 1);
		msg[msglen - 1] = 0;
		jpeg_destroy_decompress(&cinfo);
		free(buf);
		return -1;
	}
	jpeg_destroy_decompress(&cinfo);
	*out = buf;
	return 0;
}
*/
import "C"

import (
	"errors"
	"unsafe"
)

// TurboAvailable reports whether this build has the cgo libjpeg-turbo path
// (build tag libjpegturbo).
const TurboAvailable = true

// DecodeDCLumaTurbo decodes data at 1/8 scale with libjpeg-turbo (cgo,
// build tag libjpegturbo): the luma plane in 8-bit steps and the mean chroma
// of the reduced image, with the full image size. It fails on anything
// libjpeg only warns about (truncated or corrupt data) and on RGB and CMYK
// JPEGs; callers fall back to DecodeDCLuma.
func DecodeDCLumaTurbo(data []byte) (p LumaPlane, fullW, fullH int, err error) {
	if len(data) == 0 {
		return LumaPlane{}, 0, 0, ErrNotJPEG
	}
	var out *C.uchar
	var cw, ch, cnc, cfw, cfh C.int
	var msg [200]C.char
	cdata := C.CBytes(data) // libjpeg must not hold a Go pointer across calls
	defer C.free(cdata)
	rc := C.sb_luma8((*C.uchar)(cdata), C.ulong(len(data)), &out, &cw, &ch, &cnc, &cfw, &cfh, &msg[0], C.int(len(msg)))
	if rc != 0 {
		return LumaPlane{}, 0, 0, errors.New("libjpeg-turbo: " + C.GoString(&msg[0]))
	}
	defer C.free(unsafe.Pointer(out))
	n, nc := int(cw)*int(ch), int(cnc)
	pix := unsafe.Slice((*byte)(unsafe.Pointer(out)), n*nc)
	p = LumaPlane{Pix: make([]float32, n), W: int(cw), H: int(ch)}
	var sumCb, sumCr int
	for i := range p.Pix {
		p.Pix[i] = float32(pix[i*nc])
		if nc == 3 {
			sumCb += int(pix[i*3+1]) - 128
			sumCr += int(pix[i*3+2]) - 128
		}
	}
	if n > 0 {
		p.MeanCb, p.MeanCr = float32(sumCb)/float32(n), float32(sumCr)/float32(n)
	}
	return p, int(cfw), int(cfh), nil
}
