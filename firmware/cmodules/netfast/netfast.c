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
// sendto1: one sendto, its failure as -errno instead of an exception (the same reason:
// sendto's fast path then needs no try).
//
// attempt: a call whose OSError is returned, not raised, so that sfnet can turn it
// into its own exception without a try of its own.
//
// wait1: one socket's poll wait without a poll object: no RAM kept per socket for
// waiting, and the plain waits of a socket run in a frame small enough for the C stack.
//
// sendall, recv, recv_into, tcp_send, tcp_receive_into: methods of the library's socket and of sfnet's
// TcpSocket on our firmware, bound as Python functions are: an echo's or a bulk
// transfer's common path then runs no Python frame. Each takes that path only and
// hands every other case to the class's Python code.
#include "py/runtime.h"
#include "py/stream.h"
#include "py/objarray.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/mpthread.h"
#include "py/objtuple.h"
#include "py/objtype.h"

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

// The exception an nlr jump carried, when it is an OSError: the one kind of error
// that the callers below hand back instead of raising. Anything else goes on up.
static mp_obj_t oserror_caught(nlr_buf_t *nlr) {
    mp_obj_t exc = MP_OBJ_FROM_PTR(nlr->ret_val);
    if (!mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_OSError))) {
        nlr_jump(nlr->ret_val);
    }
    return exc;
}

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
    mp_obj_t code = mp_obj_exception_get_value(oserror_caught(&nlr));
    if (mp_obj_is_small_int(code) && (any || mp_is_nonblocking_error(MP_OBJ_SMALL_INT_VALUE(code)))) {
        *err = MP_OBJ_SMALL_INT_VALUE(code);
        return MP_OBJ_NULL;
    }
    nlr_jump(nlr.ret_val);
}

// One write of buf[off:] (bufinfo: buf's) to a stream: the count written (all or part),
// None when a non-blocking stream takes nothing now, or -errno when the write fails;
// -EBADF for an object that is not a writable stream (the socket's closed stand-in).
static mp_obj_t write_part(mp_obj_t stream_in, const mp_buffer_info_t *bufinfo, mp_int_t off) {
    const mp_stream_p_t *stream_p = MP_OBJ_TYPE_GET_SLOT_OR_NULL(mp_obj_get_type(stream_in), protocol);
    if (stream_p == NULL || stream_p->write == NULL) {
        return MP_OBJ_NEW_SMALL_INT(-MP_EBADF);
    }
    int errcode;
    mp_uint_t out = stream_p->write(stream_in, (const byte *)bufinfo->buf + off, bufinfo->len - off, &errcode);
    if (out == MP_STREAM_ERROR) {
        if (mp_is_nonblocking_error(errcode)) {
            return mp_const_none;
        }
        return MP_OBJ_NEW_SMALL_INT(-errcode);
    }
    return MP_OBJ_NEW_SMALL_INT(out);
}

// sendto1(sock, data, address) -> sock.sendto(data, address) (the count), None when a
// non-blocking socket takes nothing now, or -errno when it fails: write_part for datagrams.
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
    return oserror_caught(&nlr);
}
static MP_DEFINE_CONST_FUN_OBJ_VAR_BETWEEN(netfast_attempt_obj, 2, 4, netfast_attempt);

// -- Methods. On our firmware the library's socket class stores sendall, recv and
// recv_into from here, and sfnet's TcpSocket its send and receive_into
// (_socket_ms.py, sfnet/tcp.py):
// C functions of a type that binds self in a Python class, so the common path of an
// echo or a bulk transfer runs no Python frame. Each does what the class's Python
// method does on that path and hands every other case to the class's Python helpers,
// so the behaviour is written once, in Python. A call with keywords, or with an
// argument count the C does not take, goes to the Python method itself (its twin,
// which the class keeps as _py_<name>), and so gets Python's own errors.

typedef struct _netfast_method_t {
    mp_obj_base_t base;
    mp_fun_var_t fun;
    uint16_t n_args_min;  // self included
    uint16_t n_args_max;
    qstr twin;  // the Python method, for every other call
} netfast_method_t;

static mp_obj_t method_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    const netfast_method_t *m = MP_OBJ_TO_PTR(self_in);
    if (n_kw == 0 && n_args >= m->n_args_min && n_args <= m->n_args_max) {
        return m->fun(n_args, args);
    }
    mp_obj_t dest[2 + 8];
    size_t n = n_args - 1 + 2 * n_kw;  // args after self, then keyword pairs
    if (n_args == 0 || n > MP_ARRAY_SIZE(dest) - 2) {
        mp_raise_TypeError(MP_ERROR_TEXT("wrong number of arguments"));
    }
    mp_load_method(args[0], m->twin, dest);
    memcpy(dest + 2, args + 1, n * sizeof(mp_obj_t));
    return mp_call_method_n_kw(n_args - 1, n_kw, dest);
}

// (MP_TYPE_FLAG_BINDS_SELF without MP_TYPE_FLAG_BUILTIN_FUN: a built-in function in a
// user class acts as a staticmethod)
static MP_DEFINE_CONST_OBJ_TYPE(netfast_method_type, MP_QSTR_function, MP_TYPE_FLAG_BINDS_SELF, call, method_call);

#define NETFAST_METHOD(name, fun, n_min, n_max, twin) \
    static const netfast_method_t name = {{&netfast_method_type}, fun, n_min, n_max, twin}

// self.name for an attribute the instance stores itself (every socket stores _s and
// _rstate, a TcpSocket its _sock once connected): found in the instance's own table,
// where the attribute protocol would look first too, without that protocol's calls;
// anything else through mp_load_attr.
static mp_obj_t own_attr(mp_obj_t self, qstr name) {
    if (mp_obj_is_instance_type(mp_obj_get_type(self))) {
        mp_obj_instance_t *o = MP_OBJ_TO_PTR(self);
        mp_map_elem_t *elem = mp_map_lookup(&o->members, MP_OBJ_NEW_QSTR(name), MP_MAP_LOOKUP);
        if (elem != NULL) {
            return elem->value;
        }
    }
    return mp_load_attr(self, name);
}

// self.name(*args), 0 to 3 args, without a bound-method object.
static mp_obj_t call_own(mp_obj_t self, qstr name, size_t n_args, const mp_obj_t *args) {
    mp_obj_t dest[5];
    mp_load_method(self, name, dest);
    for (size_t i = 0; i < n_args; i++) {
        dest[2 + i] = args[i];
    }
    return mp_call_method_n_kw(n_args, 0, dest);
}

// socket.sendall(self, data[, flags]): after shutdown(SHUT_WR) (_rstate set)
// _check_send first; then one write of self._s. When that was not all of data and the
// wait is a plain one (a timeout other than 0, no link watch: _gen None), the rest is
// sent here: a write, and when the stack takes nothing a wait for room to the one
// deadline; a failure, or the deadline, goes to _send_failed (which raises). Every
// other case is _sendall_rest's. flags are taken and ignored, as by the Python method.
static mp_obj_t netfast_sendall(size_t n_args, const mp_obj_t *args) {
    mp_obj_t self = args[0];
    mp_obj_t data = args[1];
    if (own_attr(self, MP_QSTR__rstate) != mp_const_none) {
        call_own(self, MP_QSTR__check_send, 0, NULL);
    }
    mp_obj_t s = own_attr(self, MP_QSTR__s);
    mp_buffer_info_t bufinfo;
    mp_get_buffer_raise(data, &bufinfo, MP_BUFFER_READ);
    mp_obj_t n = write_part(s, &bufinfo, 0);
    if (n == MP_OBJ_NEW_SMALL_INT(bufinfo.len)) {
        return mp_const_none;
    }
    mp_obj_t timeout;
    if ((n != mp_const_none && MP_OBJ_SMALL_INT_VALUE(n) < 0)
        || (timeout = mp_load_attr(self, MP_QSTR__timeout)) == MP_OBJ_NEW_SMALL_INT(0)
        || mp_load_attr(self, MP_QSTR__gen) != mp_const_none) {
        mp_obj_t rest[2] = { data, n };
        call_own(self, MP_QSTR__sendall_rest, 2, rest);
        return mp_const_none;
    }
    mp_int_t ms = timeout == mp_const_none ? -1 : mp_obj_get_int(timeout);
    mp_uint_t start = mp_hal_ticks_ms();
    mp_int_t sent = n == mp_const_none ? 0 : MP_OBJ_SMALL_INT_VALUE(n);
    while ((size_t)sent < bufinfo.len) {
        if (n == mp_const_none) {
            mp_int_t left = -1;
            if (ms >= 0) {
                mp_uint_t elapsed = mp_hal_ticks_ms() - start;
                left = elapsed >= (mp_uint_t)ms ? 0 : ms - (mp_int_t)elapsed;
            }
            if (left == 0) {
                break;  // the deadline
            }
            wait_events(s, MP_STREAM_POLL_WR, left);  // ready or not: the write tells
        }
        n = write_part(s, &bufinfo, sent);
        if (n != mp_const_none) {
            if (MP_OBJ_SMALL_INT_VALUE(n) < 0) {
                break;  // a failure
            }
            sent += MP_OBJ_SMALL_INT_VALUE(n);
        }
    }
    if ((size_t)sent < bufinfo.len) {
        mp_obj_t failed[3] = { n, MP_OBJ_NEW_SMALL_INT(sent), data };  // (None: the deadline)
        call_own(self, MP_QSTR__send_failed, 3, failed);
    }
    return mp_const_none;
}
NETFAST_METHOD(netfast_sendall_obj, netfast_sendall, 2, 3, MP_QSTR__py_sendall);

// socket.recv(self, bufsize[, flags]): with no flags, a plain socket (_rstate None)
// and a bufsize > 0, recv1's one read of self._s when data is there; everything else,
// and the wait when nothing is there yet, is _recv_wait's.
static mp_obj_t netfast_recv(size_t n_args, const mp_obj_t *args) {
    mp_obj_t self = args[0];
    mp_obj_t flags = n_args > 2 ? args[2] : MP_OBJ_NEW_SMALL_INT(0);
    if (flags == MP_OBJ_NEW_SMALL_INT(0) && mp_obj_is_small_int(args[1]) && MP_OBJ_SMALL_INT_VALUE(args[1]) > 0
        && own_attr(self, MP_QSTR__rstate) == mp_const_none) {
        mp_obj_t once[2] = { own_attr(self, MP_QSTR__s), args[1] };
        mp_obj_t r = recv_once(once);
        if (r != MP_OBJ_NULL) {
            return r;
        }
    }
    mp_obj_t wait[2] = { args[1], flags };
    return call_own(self, MP_QSTR__recv_wait, 2, wait);
}
NETFAST_METHOD(netfast_recv_obj, netfast_recv, 2, 3, MP_QSTR__py_recv);

// Whether len(buf) counts bytes: not for an array of wider items, or a view of one
// (those go to the Python method, which reads them through a byte view).
static bool byte_items(mp_obj_t buf) {
    if (mp_obj_is_exact_type(buf, &mp_type_bytearray)) {
        return true;
    }
    mp_buffer_info_t bufinfo;
    mp_obj_t len;
    return !mp_get_buffer(buf, &bufinfo, MP_BUFFER_READ)  // (not a buffer: the read says so)
           || (len = mp_obj_len_maybe(buf)) == MP_OBJ_NULL
           || len == MP_OBJ_NEW_SMALL_INT(bufinfo.len);
}

// socket.recv_into(self, buffer[, nbytes[, flags]]): with no flags and a plain socket,
// readinto1's one read of self._s into buffer[:nbytes] (nbytes checked by _nbytes
// unless -1 or 1..len(buffer)), and _recv_into_wait when nothing is there yet;
// everything else, and a buffer of items wider than a byte, is _recv_into_py's.
static mp_obj_t netfast_recv_into(size_t n_args, const mp_obj_t *args) {
    mp_obj_t self = args[0];
    mp_obj_t a[3] = { args[1], n_args > 2 ? args[2] : MP_OBJ_NEW_SMALL_INT(-1),
                      n_args > 3 ? args[3] : MP_OBJ_NEW_SMALL_INT(0) };  // buffer, nbytes, flags
    if (a[2] != MP_OBJ_NEW_SMALL_INT(0) || own_attr(self, MP_QSTR__rstate) != mp_const_none
        || !byte_items(a[0])) {
        return call_own(self, MP_QSTR__recv_into_py, 3, a);
    }
    if (a[1] != MP_OBJ_NEW_SMALL_INT(-1)) {
        mp_obj_t len = mp_obj_len(a[0]);
        if (!mp_obj_is_small_int(a[1]) || MP_OBJ_SMALL_INT_VALUE(a[1]) <= 0
            || MP_OBJ_SMALL_INT_VALUE(a[1]) > MP_OBJ_SMALL_INT_VALUE(len)) {
            a[1] = call_own(self, MP_QSTR__nbytes, 2, a);  // (0, Zerynth's negatives, errors)
        }
    }
    mp_obj_t once[3] = { own_attr(self, MP_QSTR__s), a[0], a[1] };
    mp_obj_t r = readinto_once(once);
    if (r == MP_OBJ_NULL) {
        if (a[1] == MP_OBJ_NEW_SMALL_INT(-1)) {
            a[1] = mp_obj_len(a[0]);
        }
        r = call_own(self, MP_QSTR__recv_into_wait, 2, a);
    }
    return r;
}
NETFAST_METHOD(netfast_recv_into_obj, netfast_recv_into, 2, 4, MP_QSTR__py_recv_into);

// sock.name(*args) (1 or 2 args), for a TcpSocket's socket: its result, or
// MP_OBJ_NULL and the OSError it raised in *exc; anything else is raised.
static mp_obj_t call_keeping_oserror(mp_obj_t sock, qstr name, size_t n_args, const mp_obj_t *args, mp_obj_t *exc) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_t r = call_own(sock, name, n_args, args);
        nlr_pop();
        return r;
    }
    *exc = oserror_caught(&nlr);
    return MP_OBJ_NULL;
}

// self._failed(exc, what): raises sfnet's error for the socket's OSError.
static mp_obj_t tcp_failed(mp_obj_t self, mp_obj_t exc, qstr what) {
    mp_obj_t args[2] = { exc, MP_OBJ_NEW_QSTR(what) };
    return call_own(self, MP_QSTR__failed, 2, args);
}

// sfnet's TcpSocket.send(self, data): for data of exactly bytes, bytearray or
// memoryview, not empty, on a connected TcpSocket, self._sock.sendall(data) and
// its length in bytes; an OSError it raises goes to _failed (which raises sfnet's error).
// Every other case is the Python method's.
static mp_obj_t netfast_tcp_send(size_t n_args, const mp_obj_t *args) {
    mp_obj_t self = args[0];
    mp_obj_t data = args[1];
    mp_obj_t sock;
    mp_buffer_info_t bufinfo;
    if (!(mp_obj_is_exact_type(data, &mp_type_bytes) || mp_obj_is_exact_type(data, &mp_type_bytearray)
          || mp_obj_is_exact_type(data, &mp_type_memoryview))
        || (sock = own_attr(self, MP_QSTR__sock)) == mp_const_none
        || (mp_get_buffer_raise(data, &bufinfo, MP_BUFFER_READ), bufinfo.len == 0)) {
        return call_own(self, MP_QSTR__py_send, 1, &data);
    }
    mp_obj_t exc = MP_OBJ_NULL;  // set whenever the call gives MP_OBJ_NULL
    if (call_keeping_oserror(sock, MP_QSTR_sendall, 1, &data, &exc) == MP_OBJ_NULL) {
        return tcp_failed(self, exc, MP_QSTR_send);
    }
    return mp_obj_new_int_from_uint(bufinfo.len);  // bytes (a memoryview's len() counts its items)
}
NETFAST_METHOD(netfast_tcp_send_obj, netfast_tcp_send, 2, 2, MP_QSTR__py_send);

// sfnet's TcpSocket.receive_into(self, buffer[, nbytes]): on a connected TcpSocket,
// self._sock.recv_into(buffer, nbytes) and its count; an OSError goes to _failed, and
// 0 (the end of the stream, unless nothing was asked for) to _disconnected. Every other
// case is the Python method's.
static mp_obj_t netfast_tcp_receive_into(size_t n_args, const mp_obj_t *args) {
    mp_obj_t self = args[0];
    mp_obj_t a[2] = { args[1], n_args > 2 ? args[2] : MP_OBJ_NEW_SMALL_INT(-1) };  // buffer, nbytes
    mp_obj_t sock = own_attr(self, MP_QSTR__sock);
    if (sock == mp_const_none) {
        return call_own(self, MP_QSTR__py_receive_into, 2, a);
    }
    mp_obj_t exc = MP_OBJ_NULL;  // set whenever the call gives MP_OBJ_NULL
    mp_obj_t n = call_keeping_oserror(sock, MP_QSTR_recv_into, 2, a, &exc);
    if (n == MP_OBJ_NULL) {
        return tcp_failed(self, exc, MP_QSTR_receive_into);
    }
    if (n == MP_OBJ_NEW_SMALL_INT(0) && !mp_obj_equal(a[1], MP_OBJ_NEW_SMALL_INT(0)) && mp_obj_is_true(mp_obj_len(a[0]))) {
        mp_obj_t what = MP_OBJ_NEW_QSTR(MP_QSTR_receive_into);
        return call_own(self, MP_QSTR__disconnected, 1, &what);
    }
    return n;
}
NETFAST_METHOD(netfast_tcp_receive_into_obj, netfast_tcp_receive_into, 2, 3, MP_QSTR__py_receive_into);

static const mp_rom_map_elem_t netfast_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__netfast) },
    { MP_ROM_QSTR(MP_QSTR_readinto1), MP_ROM_PTR(&netfast_readinto1_obj) },
    { MP_ROM_QSTR(MP_QSTR_take), MP_ROM_PTR(&netfast_take_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv1), MP_ROM_PTR(&netfast_recv1_obj) },
    { MP_ROM_QSTR(MP_QSTR_recvfrom1), MP_ROM_PTR(&netfast_recvfrom1_obj) },
    { MP_ROM_QSTR(MP_QSTR_recvfrom_into1), MP_ROM_PTR(&netfast_recvfrom_into1_obj) },
    { MP_ROM_QSTR(MP_QSTR_sendto1), MP_ROM_PTR(&netfast_sendto1_obj) },
    { MP_ROM_QSTR(MP_QSTR_attempt), MP_ROM_PTR(&netfast_attempt_obj) },
    { MP_ROM_QSTR(MP_QSTR_wait1), MP_ROM_PTR(&netfast_wait1_obj) },
    { MP_ROM_QSTR(MP_QSTR_sendall), MP_ROM_PTR(&netfast_sendall_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv), MP_ROM_PTR(&netfast_recv_obj) },
    { MP_ROM_QSTR(MP_QSTR_recv_into), MP_ROM_PTR(&netfast_recv_into_obj) },
    { MP_ROM_QSTR(MP_QSTR_tcp_send), MP_ROM_PTR(&netfast_tcp_send_obj) },
    { MP_ROM_QSTR(MP_QSTR_tcp_receive_into), MP_ROM_PTR(&netfast_tcp_receive_into_obj) },
};
static MP_DEFINE_CONST_DICT(netfast_globals, netfast_globals_table);

const mp_obj_module_t netfast_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&netfast_globals,
};

MP_REGISTER_MODULE(MP_QSTR__netfast, netfast_user_cmodule);
