//go:build windows

package ui

import (
	"errors"
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// systemPicker on Windows is the shell's own folder chooser (the Vista and
// later IFileOpenDialog with FOS_PICKFOLDERS: address bar, typed paths,
// Quick access), through COM with no cgo. Every COM call goes through
// syscall.SyscallN directly, with pointers converted in its argument list:
// the one form the unsafe rules make safe for out-parameters.
func systemPicker(req folderRequest) (string, error) {
	// COM objects of a single-threaded apartment belong to one OS thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	err := windows.CoInitializeEx(0, windows.COINIT_APARTMENTTHREADED|windows.COINIT_DISABLE_OLE1DDE)
	if err != nil && !errors.Is(err, sFalse) { // S_FALSE: already initialised here
		return "", fmt.Errorf("starting COM for the folder chooser: %w", err)
	}
	defer windows.CoUninitialize()

	dlg, err := newFileOpenDialog()
	if err != nil {
		return "", err
	}
	defer dlg.release()
	return dlg.pickFolder(req)
}

// sFalse is S_FALSE as CoInitializeEx's error.
const sFalse = syscall.Errno(1)

// COM's numbers for the folder chooser.
const (
	clsctxInprocServer = 0x1
	fosNoChangeDir     = 0x8
	fosPickFolders     = 0x20
	fosForceFileSystem = 0x40
	fosPathMustExist   = 0x800
	sigdnFileSysPath   = 0x80058000
	// hrCancelled is HRESULT_FROM_WIN32(ERROR_CANCELLED): the person closed
	// the chooser without choosing.
	hrCancelled = 0x800704C7
)

// Slots in the vtables: IUnknown's three, IModalWindow's Show, then
// IFileDialog's in declaration order (shobjidl_core.h), and IShellItem's.
const (
	vtRelease          = 2
	vtShow             = 3
	vtSetOptions       = 9
	vtGetOptions       = 10
	vtSetFolder        = 12
	vtSetTitle         = 17
	vtGetResult        = 20
	vtItemDisplayName  = 5
	vtableSlotsWeTouch = 21
)

var (
	clsidFileOpenDialog = windows.GUID{Data1: 0xDC1C5A9C, Data2: 0xE88A, Data3: 0x4DDE, Data4: [8]byte{0xA5, 0xA1, 0x60, 0xF8, 0x2A, 0x20, 0xAE, 0xF7}}
	iidIFileOpenDialog  = windows.GUID{Data1: 0xD57C7288, Data2: 0xD4AD, Data3: 0x4768, Data4: [8]byte{0xBE, 0x02, 0x9D, 0x96, 0x95, 0x32, 0xD9, 0x60}}
	iidIShellItem       = windows.GUID{Data1: 0x43826D1E, Data2: 0xE718, Data3: 0x42EE, Data4: [8]byte{0xBC, 0x55, 0xA1, 0xE2, 0x61, 0xC3, 0x7B, 0xFE}}

	ole32                       = windows.NewLazySystemDLL("ole32.dll")
	shell32                     = windows.NewLazySystemDLL("shell32.dll")
	procCoCreateInstance        = ole32.NewProc("CoCreateInstance")
	procSHCreateItemFromParsing = shell32.NewProc("SHCreateItemFromParsingName")
)

// comObject is a COM interface pointer: its first word is the vtable.
// Only the slots below vtableSlotsWeTouch are ever read.
type comObject struct {
	vtbl *[vtableSlotsWeTouch]uintptr
}

func (o *comObject) release() {
	syscall.SyscallN(o.vtbl[vtRelease], uintptr(unsafe.Pointer(o)))
}

func hrFailed(hr uintptr) bool { return int32(hr) < 0 }

func hrError(what string, hr uintptr) error {
	return fmt.Errorf("%s: %w", what, syscall.Errno(hr))
}

func newFileOpenDialog() (*comObject, error) {
	if err := procCoCreateInstance.Find(); err != nil {
		return nil, fmt.Errorf("finding CoCreateInstance: %w", err)
	}
	var dlg *comObject
	hr, _, _ := syscall.SyscallN(procCoCreateInstance.Addr(), uintptr(unsafe.Pointer(&clsidFileOpenDialog)), 0,
		clsctxInprocServer, uintptr(unsafe.Pointer(&iidIFileOpenDialog)), uintptr(unsafe.Pointer(&dlg)))
	if hrFailed(hr) || dlg == nil {
		return nil, hrError("creating the shell's folder chooser", hr)
	}
	return dlg, nil
}

// pickFolder sets the chooser up, shows it over req.Parent and reads the
// folder chosen.
func (dlg *comObject) pickFolder(req folderRequest) (string, error) {
	self := uintptr(unsafe.Pointer(dlg))
	var opts uint32
	if hr, _, _ := syscall.SyscallN(dlg.vtbl[vtGetOptions], self, uintptr(unsafe.Pointer(&opts))); hrFailed(hr) {
		return "", hrError("reading the folder chooser's options", hr)
	}
	opts |= fosPickFolders | fosForceFileSystem | fosPathMustExist | fosNoChangeDir
	if hr, _, _ := syscall.SyscallN(dlg.vtbl[vtSetOptions], self, uintptr(opts)); hrFailed(hr) {
		return "", hrError("setting the folder chooser's options", hr)
	}
	if title, err := windows.UTF16PtrFromString(req.Title); err == nil {
		syscall.SyscallN(dlg.vtbl[vtSetTitle], self, uintptr(unsafe.Pointer(title)))
	}
	if start := shellItem(req.Start); start != nil {
		// Not being able to start there is no reason not to ask.
		syscall.SyscallN(dlg.vtbl[vtSetFolder], self, uintptr(unsafe.Pointer(start)))
		start.release()
	}
	hr, _, _ := syscall.SyscallN(dlg.vtbl[vtShow], self, req.Parent)
	if uint32(hr) == hrCancelled {
		return "", nil
	}
	if hrFailed(hr) {
		return "", hrError("showing the shell's folder chooser", hr)
	}
	var item *comObject
	if hr, _, _ := syscall.SyscallN(dlg.vtbl[vtGetResult], self, uintptr(unsafe.Pointer(&item))); hrFailed(hr) || item == nil {
		return "", hrError("reading the folder chosen", hr)
	}
	defer item.release()
	var p *uint16
	if hr, _, _ := syscall.SyscallN(item.vtbl[vtItemDisplayName], uintptr(unsafe.Pointer(item)), sigdnFileSysPath,
		uintptr(unsafe.Pointer(&p))); hrFailed(hr) || p == nil {
		return "", hrError("reading the path of the folder chosen", hr)
	}
	defer windows.CoTaskMemFree(unsafe.Pointer(p))
	return windows.UTF16PtrToString(p), nil
}

// shellItem is the IShellItem of path, or nil when there is none.
func shellItem(path string) *comObject {
	if path == "" || procSHCreateItemFromParsing.Find() != nil {
		return nil
	}
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil
	}
	var item *comObject
	hr, _, _ := syscall.SyscallN(procSHCreateItemFromParsing.Addr(), uintptr(unsafe.Pointer(p)), 0,
		uintptr(unsafe.Pointer(&iidIShellItem)), uintptr(unsafe.Pointer(&item)))
	if hrFailed(hr) {
		return nil
	}
	return item
}
