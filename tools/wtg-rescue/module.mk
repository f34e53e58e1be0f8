LDLIBS_wtg-rescue += -lwim -lntfs-3g
