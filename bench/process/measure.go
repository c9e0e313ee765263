package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// usage is what one terraform command cost.
//
// cpu and maxRSS are exact: they come from the rusage wait4 returns for the
// terraform process, which on Linux covers terraform and every descendant it
// waited for (RUSAGE_BOTH in the kernel's wait_task_zombie). Terraform waits
// for each provider process it starts (go-plugin's Kill), so provider CPU is
// in cpu. maxRSS is the largest resident set of any one of those processes,
// not a sum.
//
// tfPeak, provPeak and provCPU split that up by sampling /proc every
// pollInterval while terraform runs: the last VmHWM (peak resident set) seen
// for terraform and the largest seen for any provider process, and the sum of
// the last utime+stime seen for each provider process. Growth in the last
// interval of a process's life, and processes that live shorter than one
// interval, are missed: these are lower bounds.
type usage struct {
	wall, cpu time.Duration
	maxRSS    int64 // bytes
	tfPeak    int64 // bytes
	provPeak  int64 // bytes
	provCPU   time.Duration
}

const pollInterval = 50 * time.Millisecond

// clockTick is USER_HZ, the unit of utime and stime in /proc/<pid>/stat: 100
// on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// rusageOf reads the exact part of usage from the wait4 rusage.
func rusageOf(sys any) (cpu time.Duration, maxRSS int64, ok bool) {
	ru, ok := sys.(*syscall.Rusage)
	if !ok {
		return 0, 0, false
	}
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return cpu, ru.Maxrss * 1024, true // Linux reports ru_maxrss in KiB
}

// sampler follows terraform's process tree through /proc until done closes.
type sampler struct {
	root     int
	tfCPU    time.Duration // terraform's own, last seen
	tfPeak   int64
	provPeak int64
	provCPU  map[int]time.Duration // last seen per provider pid
}

func sample(root int, done <-chan struct{}) *sampler {
	s := &sampler{root: root, provCPU: map[int]time.Duration{}}
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		s.once()
		select {
		case <-done:
			return s
		case <-tick.C:
		}
	}
}

func (s *sampler) once() {
	if hwm := vmHWM(s.root); hwm > s.tfPeak {
		s.tfPeak = hwm
	}
	if cpu, ok := cpuOf(s.root); ok {
		s.tfCPU = cpu
	}
	for _, pid := range descendants(s.root) {
		if hwm := vmHWM(pid); hwm > s.provPeak {
			s.provPeak = hwm
		}
		if cpu, ok := cpuOf(pid); ok {
			s.provCPU[pid] = cpu
		}
	}
}

func (s *sampler) providerCPU() time.Duration {
	var sum time.Duration
	for _, d := range s.provCPU {
		sum += d
	}
	return sum
}

// descendants lists pid's children, their children and so on, from the
// children files of every thread (Linux's CONFIG_PROC_CHILDREN).
func descendants(pid int) []int {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	var out []int
	for _, t := range tasks {
		data, err := os.ReadFile(t)
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if child, err := strconv.Atoi(f); err == nil {
				out = append(out, child)
				out = append(out, descendants(child)...)
			}
		}
	}
	return out
}

// vmHWM is the peak resident set of pid so far, in bytes; 0 once it has exited.
func vmHWM(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 && f[1] == "kB" {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// cpuOf is utime+stime of pid itself.
func cpuOf(pid int) (time.Duration, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces and parentheses: fields start after the last ')'.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(ut+st) * clockTick, true
}
