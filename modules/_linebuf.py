# The bounded line reader that sfnet's Http and Ftp share: lines out of one fixed
# buffer filled from a socket, however the peer segments them, with a cap checked
# before a line is held (a hostile peer cannot make a line cost more than the cap).


class TooLong(Exception):
    pass


class LineBuffer:
    """buf[i:j] holds received bytes not yet taken. Subclasses and owners may take
    bytes from it directly (a body after its head) by moving i."""

    def __init__(self, buf):
        self.buf = buf
        self.mv = memoryview(buf)
        self.i = 0
        self.j = 0
        self.taken = 0  # bytes the last line took, its LF included

    def next_line(self, lim, fill):
        """The next line without its LF or CR LF: a memoryview into the buffer (valid
        until the next read) or, for a line longer than the buffer, a bytearray.
        lim: bytes allowed before the LF; a longer line raises TooLong before it is
        held. fill(mv) receives into mv and returns the count; when it returns 0 (the
        peer closed), the result is None at a line boundary, and EOFError inside a line."""
        buf = self.buf
        part = None
        while True:
            k = buf.find(b"\n", self.i, self.j)
            if k >= 0:
                n = k - self.i
                if part:
                    n += len(part)
                if n > lim:
                    raise TooLong()
                line = self.mv[self.i:k]
                self.i = k + 1
                self.taken = n + 1
                if part:
                    part.extend(line)
                    line = part
                return line[:-1] if len(line) and line[-1] == 13 else line
            have = self.j - self.i
            if (len(part) if part else 0) + have > lim:
                raise TooLong()
            if self.j == len(buf):
                if self.i:  # move the unfinished line to the front (via a copy: they overlap)
                    buf[:have] = buf[self.i:self.j]
                else:  # a line longer than the buffer
                    if part is None:
                        part = bytearray()
                    part.extend(buf)
                    have = 0
                self.i, self.j = 0, have
            elif self.i == self.j:
                self.i = self.j = 0
            n = fill(self.mv[self.j:])
            if n == 0:
                if part or self.j > self.i:
                    raise EOFError()
                return None
            self.j += n
