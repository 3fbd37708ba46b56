//go:build !(cgo && libjpegturbo)

package jpegdc

// TurboAvailable reports whether this build has the cgo libjpeg-turbo path
// (build tag libjpegturbo).
const TurboAvailable = false

// DecodeDCLumaTurbo is only available with the libjpegturbo build tag (and
// cgo); without it, it returns ErrUnsupported.
func DecodeDCLumaTurbo(data []byte) (p LumaPlane, fullW, fullH int, err error) {
	return LumaPlane{}, 0, 0, unsupported("built without the libjpegturbo tag")
}
