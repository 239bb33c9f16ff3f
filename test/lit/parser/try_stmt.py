# RUN: %kiln compile %s --emit=ast | %FileCheck %s
# try statements: the body, each except clause (type, `as` name, body),
# else and finally.


def f(a, b):
    try:
        r = a / b
    except (ZeroDivisionError, ValueError) as e:
        raise
    except KeyError:
        r = 1
    except:
        r = 2
    else:
        r = 3
    finally:
        a = 0
    return r

# CHECK:      Try <7:5-18:14>
# CHECK-NEXT:   body:
# CHECK:        handler: Except as e <9:5-9:48>
# CHECK-NEXT:     type: Tuple
# CHECK:          body:
# CHECK-NEXT:       Raise
# CHECK:        handler: Except <11:5-11:20>
# CHECK-NEXT:     type: Name KeyError
# CHECK:        handler: Except <13:5-13:11>
# CHECK-NEXT:     body:
# CHECK:        else:
# CHECK:        finally:
