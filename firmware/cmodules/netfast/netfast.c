// _netfast: the primitives the library's socket cannot write in Python, or not
// without heap traffic. Frozen firmware built from firmware/manifest.py has them
// (c_module()); elsewhere the library falls back to Python (docs/socket.md,
// "Resets" and "Large stream reads").
//
// readinto1: a single read of a stream into a buffer. py/stream.c's readinto loops
// until the buffer is full, and when an error (a reset) follows a short read that
// loop raises and the bytes it already read are lost. One read returns them; the
// error comes from the next call.
//
// take: a filled bytearray becomes bytes without a copy, its storage shrunk in place
// to the result, as the built-in's stream read hands over its vstr.
//
// recv1, recvfrom1: one recv()/recvfrom() of a non-blocking socket, None when it has
// nothing, without raising (or allocating) an exception for that. In Python that
// needs a try, and a try puts the caller's frame on the heap at every call.
// recvfrom_into1: one datagram into a buffer; a repeated sender costs nothing (on unix,
// recvfrom(2) into the buffer; elsewhere the built-in's recvfrom, copied).
// Given a last argument ms, each of these reads first waits up to ms for data
// (read_within): a socket's whole plain wait-and-read is one call, with no Python frame,
// clock reading or wasted read per wake-up.
//
// write1: one write of a stream, its failure as -errno instead of an exception (the
// same reason: sendall's fast path then needs no try); sendto1 the same for sendto.
//
// attempt: a call whose OSError is returned, not raised, so that sfnet can turn it
// into its own exception without a try of its own.
//
// wait1: one socket's poll wait without a poll object: no RAM kept per socket for
// waiting, and the plain waits of a socket run in a frame small enough for the C stack.
#include "py/runtime.h"
#include "py/stream.h"
#include "py/objarray.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/mpthread.h"
#include "py/objtuple.h"

#include <string.h>

#if MICROPY_PY_SELECT_POSIX_OPTIMISATIONS
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#endif

// The stream protocol of `obj`, or an EBADF for one that is not a stream (the
// socket's closed stand-in).
static const mp_stream_p_t *stream_of(mp_obj_t obj) {
    const mp_stream_p_t *stream_p = MP_OBJ_TYPE_GET_SLOT_OR_NULL(mp_obj_get_type(obj), protocol);
    if (stream_p == NULL || stream_p->read == NULL) {
        mp_obj_t args[2] = {
            MP_OBJ_NEW_SMALL_INT(MP_EBADF),
            mp_obj_new_str("socket is closed (not an open stream)", 37),
        };
        nlr_raise(mp_obj_new_exception_args(&mp_type_OSError, 2, args));
    }
    return stream_p;
}

#if MICROPY_PY_SELECT_POSIX_OPTIMISATIONS
// The descriptor of a stream that has one (the unix port's sockets), else -1.
static int fileno_of(mp_obj_t obj) {
    const mp_stream_p_t *stream_p = MP_OBJ_TYPE_GET_SLOT_OR_NULL(mp_obj_get_type(obj), protocol);
    if (stream_p == NULL || stream_p->ioctl == NULL) {
        return -1;
    }
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {  // (a Python stream's ioctl may raise: no descriptor)
        int errcode;
        mp_uint_t fd = stream_p->ioctl(obj, MP_STREAM_GET_FILENO, 0, &errcode);
        nlr_pop();
        return fd == MP_STREAM_ERROR ? -1 : (int)fd;
    }
    return -1;
}
#endif

// The stream's poll events for `events` (an error or hang-up always reported), or 0
// once ms have passed (-1: no limit): the wait select.poll does for one object, without
// a poll object. poll(2) on the descriptor where the port polls descriptors (unix), else
// the stream's poll ioctl between event waits, as modselect.c does (ESP32: whole RTOS
// ticks, see _port_lwip). Allocates nothing.
static mp_uint_t wait_events(mp_obj_t stream_in, mp_uint_t events, mp_int_t ms) {
    const mp_stream_p_t *stream_p = stream_of(stream_in);
    if (stream_p->ioctl == NULL) {
        mp_raise_OSError(MP_EBADF);
    }
    events = (events & (MP_STREAM_POLL_RD | MP_STREAM_POLL_WR)) | MP_STREAM_POLL_ERR | MP_STREAM_POLL_HUP;
    bool has_timeout = ms >= 0;
    mp_uint_t start = mp_hal_ticks_ms();
    int errcode;
    mp_handle_pending(true);
    #if MICROPY_PY_SELECT_POSIX_OPTIMISATIONS
    int fd = fileno_of(stream_in);
    if (fd >= 0) {
        struct pollfd pfd = { .fd = fd, .events = (short)events, .revents = 0 };
        for (;;) {
            int t = -1;
            if (has_timeout) {
                mp_uint_t elapsed = mp_hal_ticks_ms() - start;
                t = elapsed >= (mp_uint_t)ms ? 0 : (int)(ms - elapsed);
            }
            MP_THREAD_GIL_EXIT();
            int n_ready = poll(&pfd, 1, t);
            MP_THREAD_GIL_ENTER();
            if (n_ready == -1) {
                int err = errno;
                if (err != EINTR) {
                    mp_raise_OSError(err);
                }
                n_ready = 0;  // a signal: handled below, then the wait goes on (PEP 475)
            }
            if (n_ready > 0) {
                return pfd.revents;
            }
            if (has_timeout && mp_hal_ticks_ms() - start >= (mp_uint_t)ms) {
                return 0;
            }
            mp_event_handle_nowait();
        }
    }
    #endif
    for (;;) {
        mp_uint_t ret = stream_p->ioctl(stream_in, MP_STREAM_POLL, events, &errcode);
        if (ret == MP_STREAM_ERROR) {
            mp_raise_OSError(errcode);
        }
        if (ret != 0) {
            return ret;
        }
        mp_uint_t elapsed = mp_hal_ticks_ms() - start;
        if (has_timeout && elapsed >= (mp_uint_t)ms) {
            return 0;
        }
        if (has_timeout) {
            mp_event_wait_ms(ms - elapsed);
        } else {
            mp_event_wait_indefinite();
        }
    }
}

// One non-blocking read of args[0]: its result, or MP_OBJ_NULL when there is nothing.
typedef mp_obj_t (*read_once_t)(const mp_obj_t *args);

// once(args) at once (ms_in MP_OBJ_NULL: not given); or, given ms_in (an int, or None
// or -1 for no limit), a wait of up to ms for args[0] to be readable and then
// once(args), repeated until it finds something or the time is up (None then). The
// wait-and-read after a read that found nothing, in one call: no Python frame and no
// wasted read per wake-up.
static mp_obj_t read_within(read_once_t once, const mp_obj_t *args, mp_obj_t ms_in) {
    if (ms_in == MP_OBJ_NULL) {
        mp_obj_t r = once(args);
        return r == MP_OBJ_NULL ? mp_const_none : r;
    }
    mp_int_t ms = ms_in == mp_const_none ? -1 : mp_obj_get_int(ms_in);
    mp_uint_t start = mp_hal_ticks_ms();
    for (;;) {
        mp_int_t left = -1;
        if (ms >= 0) {
            mp_uint_t elapsed = mp_hal_ticks_ms() - start;
            left = elapsed >= (mp_uint_t)ms ? 0 : ms - (mp_int_t)elapsed;
        }
        wait_events(args[0], MP_STREAM_POLL_RD, left);  // ready or not: the read tells
        mp_obj_t r = once(args);
        if (r != MP_OBJ_NULL) {
            return r;
        }
        if (left == 0) {
            return mp_const_none;
        }
    }
}

// One read of args[0] (a stream) into args[1][:args[2]] (n = -1: all of it): the
// count, or MP_OBJ_NULL when a non-blocking stream has nothing.
static mp_obj_t readinto_once(const mp_obj_t *args) {
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(args[1], &bufinfo, MP_BUFFER_WRITE);
    mp_int_t n = mp_obj_get_int(args[2]);
    if (n == -1) {
        n = bufinfo.len;
    } else if (n < 0 || (size_t)n > bufinfo.len) {
        mp_raise_ValueError(MP_ERROR_TEXT("n must be 0..len(buf)"));
    }
    const mp_stream_p_t *stream_p = stream_of(args[0]);
    if (n == 0) {
        return MP_OBJ_NEW_SMALL_INT(0);
    }
    int errcode;
    mp_uint_t out = stream_p->read(args[0], bufinfo.buf, n, &errcode);
    if (out == MP_STREAM_ERROR) {
        if (mp_is_nonblocking_error(errcode)) {
            return MP_OBJ_NULL;
        }
        mp_raise_OSError(errcode);
    }
    return MP_OBJ_NEW_SMALL_INT(out);
}

// readinto1(stream, buf, n[, ms]) -> bytes read (0 at end of stream), or None when a
// non-blocking stream has nothing (given ms: after waits, see read_within); n must be
// 0..len(buf), or -1 for len(buf). An object that is not a readable stream (the
// socket's closed stand-in) raises EBADF.
static mp_obj_t netfast_readinto1(size_t n_args, const mp_obj_t *args) {
    return read_within(readinto_once, args, n_args > 3 ? args[3] : MP_OBJ_NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_readinto1_obj, 3, 4, netfast_readinto1);

// take(buf, n) -> bytes equal to buf[:n], made from buf's own storage (shrunk in place
// to n bytes and the NUL every bytes object ends with); buf is left empty. n must be
// 0..len(buf). No memoryview of buf may be used afterwards.
static mp_obj_t netfast_take(mp_obj_t buf_in, mp_obj_t n_in) {
    if (!mp_obj_is_exact_type(buf_in, &mp_type_bytearray)) {
        mp_raise_TypeError(MP_ERROR_TEXT("buf must be a bytearray"));
    }
    mp_obj_array_t *a = MP_OBJ_TO_PTR(buf_in);
    mp_int_t n = mp_obj_get_int(n_in);
    if (n < 0 || (size_t)n > a->len) {
        mp_raise_ValueError(MP_ERROR_TEXT("n must be 0..len(buf)"));
    }
    vstr_t vstr;
    vstr.alloc = a->len + a->free;
    vstr.len = n;
    vstr.buf = (char *)a->items;
    vstr.fixed_buf = false;
    a->items = NULL;
    a->len = 0;
    a->free = 0;
    return mp_obj_new_bytes_from_vstr(&vstr);
}
static MP_DEFINE_CONST_FUN_OBJ_2(netfast_take_obj, netfast_take);

// The method in dest (mp_load_method's, then n_args arguments) called. An OSError
// that carries an errno is not raised but gives MP_OBJ_NULL and *err: any errno when
// `any`, else only "would block"; everything else is raised as it came.
static mp_obj_t call_keeping_errno(size_t n_args, mp_obj_t *dest, bool any, mp_int_t *err) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t r = mp_call_method_n_kw(n_args, 0, dest);
        nlr_pop();
        return r;
    }
    mp_obj_t exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    if (mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_OSError))) {
        mp_obj_t code = mp_obj_exception_get_value(exc);
        if (mp_obj_is_small_int(code) && (any || mp_is_nonblocking_error(MP_OBJ_SMALL_INT_VALUE(code)))) {
            *err = MP_OBJ_SMALL_INT_VALUE(code);
            return MP_OBJ_NULL;
        }
    }
    nlr_jump(nlr.ret_val);
}

// write1(stream, buf[, off]) -> bytes written of buf[off:] (all or part), None when a
// non-blocking stream takes nothing now, or -errno when the write fails; -EBADF for an
// object that is not a writable stream (the socket's closed stand-in).
static mp_obj_t netfast_write1(size_t n_args, const mp_obj_t *args) {
    mp_obj_t stream_in = args[0];
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(args[1], &bufinfo, MP_BUFFER_READ);
    mp_int_t off = n_args > 2 ? mp_obj_get_int(args[2]) : 0;
    if (off < 0 || (size_t)off > bufinfo.len) {
        mp_raise_ValueError(MP_ERROR_TEXT("off must be 0..len(buf)"));
    }
    const mp_stream_p_t *stream_p = MP_OBJ_TYPE_GET_SLOT_OR_NULL(mp_obj_get_type(stream_in), protocol);
    if (stream_p == NULL || stream_p->write == NULL) {
        return MP_OBJ_NEW_SMALL_INT(-MP_EBADF);
    }
    int errcode;
    mp_uint_t out = stream_p->write(stream_in, (const byte *)bufinfo.buf + off, bufinfo.len - off, &errcode);
    if (out == MP_STREAM_ERROR) {
        if (mp_is_nonblocking_error(errcode)) {
            return mp_const_none;
        }
        return MP_OBJ_NEW_SMALL_INT(-errcode);
    }
    return MP_OBJ_NEW_SMALL_INT(out);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_write1_obj, 2, 3, netfast_write1);

// sendto1(sock, data, address) -> sock.sendto(data, address) (the count), None when a
// non-blocking socket takes nothing now, or -errno when it fails: write1 for datagrams.
// The method is called without a bound-method object, and its OSError is not raised.
static mp_obj_t netfast_sendto1(mp_obj_t sock, mp_obj_t data, mp_obj_t addr) {
    mp_obj_t dest[4];
    mp_load_method(sock, MP_QSTR_sendto, dest);
    dest[2] = data;
    dest[3] = addr;
    mp_int_t err;
    mp_obj_t r = call_keeping_errno(2, dest, true, &err);
    if (r != MP_OBJ_NULL) {
        return r;
    }
    return mp_is_nonblocking_error(err) ? mp_const_none : MP_OBJ_NEW_SMALL_INT(-err);
}
static MP_DEFINE_CONST_FUN_OBJ_3(netfast_sendto1_obj, netfast_sendto1);

// One read of up to args[1] bytes of args[0] (a socket): bytes (b"" at the end of the
// stream), or MP_OBJ_NULL when a non-blocking socket has nothing. A stream read, so
// that nothing does not cost an exception object: the buffer is freed at once instead.
static mp_obj_t recv_once(const mp_obj_t *args) {
    mp_int_t n = mp_obj_get_int(args[1]);
    if (n < 0) {
        mp_raise_ValueError(MP_ERROR_TEXT("n must be >= 0"));
    }
    const mp_stream_p_t *stream_p = stream_of(args[0]);
    vstr_t vstr;
    vstr_init_len(&vstr, n);
    int errcode;
    mp_uint_t out = stream_p->read(args[0], vstr.buf, n, &errcode);
    if (out == MP_STREAM_ERROR) {
        vstr_clear(&vstr);
        if (mp_is_nonblocking_error(errcode)) {
            return MP_OBJ_NULL;
        }
        mp_raise_OSError(errcode);
    }
    vstr.len = out;
    return mp_obj_new_bytes_from_vstr(&vstr);
}

// recv1(sock, n[, ms]) -> bytes (one read of up to n; b"" at the end of the stream), or
// None when a non-blocking socket has nothing (given ms: after waits, see read_within).
static mp_obj_t netfast_recv1(size_t n_args, const mp_obj_t *args) {
    return read_within(recv_once, args, n_args > 2 ? args[2] : MP_OBJ_NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_recv1_obj, 2, 3, netfast_recv1);

// One args[0].recvfrom(args[1]) of a non-blocking socket, or MP_OBJ_NULL when it has
// nothing: a zero-wait poll of the stream first (no exception object for nothing), and
// an EAGAIN that still comes is nothing too.
static mp_obj_t recvfrom_once(const mp_obj_t *args) {
    mp_obj_t sock = args[0];
    const mp_stream_p_t *stream_p = stream_of(sock);
    nlr_buf_t nlr;
    if (stream_p->ioctl != NULL && nlr_push(&nlr) == 0) {
        int errcode;
        mp_uint_t ev = stream_p->ioctl(sock, MP_STREAM_POLL, MP_STREAM_POLL_RD, &errcode);
        nlr_pop();
        if (ev != MP_STREAM_ERROR && !(ev & (MP_STREAM_POLL_RD | MP_STREAM_POLL_ERR | MP_STREAM_POLL_HUP))) {
            return MP_OBJ_NULL;
        }
    }  // (a stream whose ioctl raises is just read)
    mp_obj_t dest[3];
    mp_load_method(sock, MP_QSTR_recvfrom, dest);
    dest[2] = args[1];
    mp_int_t err;
    return call_keeping_errno(1, dest, false, &err);
}

// recvfrom1(sock, n[, ms]) -> sock.recvfrom(n), or None when a non-blocking socket has
// nothing (given ms: after waits, see read_within).
static mp_obj_t netfast_recvfrom1(size_t n_args, const mp_obj_t *args) {
    return read_within(recvfrom_once, args, n_args > 2 ? args[2] : MP_OBJ_NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_recvfrom1_obj, 2, 3, netfast_recvfrom1);

// One datagram of args[0] (a socket) into args[1], args[2] the last sender: see
// recvfrom_into1; MP_OBJ_NULL when a non-blocking socket has nothing.
static mp_obj_t recvfrom_into_once(const mp_obj_t *args) {
    mp_obj_t sock = args[0];
    mp_obj_t last = args[2];
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(args[1], &bufinfo, MP_BUFFER_WRITE);
    #if MICROPY_PY_SELECT_POSIX_OPTIMISATIONS
    int fd = fileno_of(sock);
    if (fd >= 0) {
        struct sockaddr_storage addr;
        socklen_t addr_len = sizeof(addr);
        ssize_t k;
        for (;;) {
            MP_THREAD_GIL_EXIT();
            k = recvfrom(fd, bufinfo.buf, bufinfo.len, 0, (struct sockaddr *)&addr, &addr_len);
            MP_THREAD_GIL_ENTER();
            if (k >= 0) {
                break;
            }
            int err = errno;
            if (err != EINTR) {
                if (mp_is_nonblocking_error(err)) {
                    return MP_OBJ_NULL;
                }
                mp_raise_OSError(err);
            }
            mp_handle_pending(true);
        }
        mp_buffer_info_t lastinfo;
        if (mp_get_buffer(last, &lastinfo, MP_BUFFER_READ) && lastinfo.len == addr_len
            && memcmp(lastinfo.buf, &addr, addr_len) == 0) {
            return MP_OBJ_NEW_SMALL_INT(k);
        }
        mp_obj_t items[2] = { MP_OBJ_NEW_SMALL_INT(k), mp_obj_new_bytes((const byte *)&addr, addr_len) };
        return mp_obj_new_tuple(2, items);
    }
    #endif
    mp_obj_t recvfrom_args[2] = { sock, MP_OBJ_NEW_SMALL_INT(bufinfo.len) };
    mp_obj_t r = recvfrom_once(recvfrom_args);
    if (r == MP_OBJ_NULL) {
        return MP_OBJ_NULL;
    }
    mp_buffer_info_t data;
    mp_obj_tuple_t *t = MP_OBJ_TO_PTR(r);
    if (!mp_obj_is_exact_type(r, &mp_type_tuple) || t->len != 2
        || !mp_get_buffer(t->items[0], &data, MP_BUFFER_READ) || data.len > bufinfo.len) {
        mp_raise_TypeError(MP_ERROR_TEXT("recvfrom must give (data of at most n bytes, address)"));
    }
    memcpy(bufinfo.buf, data.buf, data.len);
    if (mp_obj_equal(t->items[1], last)) {
        return MP_OBJ_NEW_SMALL_INT(data.len);
    }
    t->items[0] = MP_OBJ_NEW_SMALL_INT(data.len);
    return r;
}

// recvfrom_into1(sock, buf, last[, ms]) -> the count when the sender is `last` (the
// native address a previous call gave), (count, sender) for another sender, or None
// when a non-blocking socket has nothing (given ms: after waits, see read_within): one
// datagram into buf, cut to len(buf). Where the socket has a descriptor (unix), one
// recvfrom(2) straight into buf: nothing is allocated for a repeated sender. Elsewhere
// the built-in's recvfrom(len(buf)), copied, its result tuple reused for the count
// (nobody else holds it).
static mp_obj_t netfast_recvfrom_into1(size_t n_args, const mp_obj_t *args) {
    return read_within(recvfrom_into_once, args, n_args > 3 ? args[3] : MP_OBJ_NULL);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_recvfrom_into1_obj, 3, 4, netfast_recvfrom_into1);

// wait1(stream, mask, ms) -> the stream's events for mask (POLLIN and/or POLLOUT; an
// error or hang-up is always reported), or 0 once ms have passed (-1: no limit): see
// wait_events. No RAM kept per socket for waiting (a select.poll and its registration
// are about 150 B).
static mp_obj_t netfast_wait1(mp_obj_t stream_in, mp_obj_t mask_in, mp_obj_t ms_in) {
    return MP_OBJ_NEW_SMALL_INT(wait_events(stream_in, mp_obj_get_int(mask_in), mp_obj_get_int(ms_in)));
}
static MP_DEFINE_CONST_FUN_OBJ_3(netfast_wait1_obj, netfast_wait1);

// attempt(fn, *args) -> fn(*args) (1 to 3 args), or the OSError it raised, returned
// instead of raised. fn is a plain function (socket.socket.sendall, not a bound
// method), so the call allocates nothing of its own.
static mp_obj_t netfast_attempt(size_t n_args, const mp_obj_t *args) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t r = mp_call_function_n_kw(args[0], n_args - 1, 0, args + 1);
        nlr_pop();
        return r;
    }
    mp_obj_t exc = MP_OBJ_FROM_PTR(nlr.ret_val);
    if (mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_OSError))) {
        return exc;
    }
    nlr_jump(nlr.ret_val);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_attempt_obj, 2, 4, netfast_attempt);

static const mp_rom_map_elem_t netfast_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__netfast) },
    { MP_ROM_QSTR(MP_QSTR_readinto1), MP_ROM_PTR(&netfast_readinto1_obj) },
    { MP_ROM_QSTR(MP_QSTR_take), MP_ROM_PTR(&netfast_take_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv1), MP_ROM_PTR(&netfast_recv1_obj) },
    { MP_ROM_QSTR(MP_QSTR_recvfrom1), MP_ROM_PTR(&netfast_recvfrom1_obj) },
    { MP_ROM_QSTR(MP_QSTR_recvfrom_into1), MP_ROM_PTR(&netfast_recvfrom_into1_obj) },
    { MP_ROM_QSTR(MP_QSTR_write1), MP_ROM_PTR(&netfast_write1_obj) },
    { MP_ROM_QSTR(MP_QSTR_sendto1), MP_ROM_PTR(&netfast_sendto1_obj) },
    { MP_ROM_QSTR(MP_QSTR_attempt), MP_ROM_PTR(&netfast_attempt_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait1), MP_ROM_PTR(&netfast_wait1_obj) },
};
static MP_DEFINE_CONST_DICT(netfast_globals, netfast_globals_table);

const mp_obj_module_t netfast_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&netfast_globals,
};

MP_REGISTER_MODULE(MP_QSTR__netfast, netfast_user_cmodule);
