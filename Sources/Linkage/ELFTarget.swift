/// The ABI an ELF object is built for, as far as the dynamic loader cares: it only loads a
/// library whose class, byte order and machine equal those of the object that needs it.
package struct ELFTarget: Hashable, Sendable, Codable, CustomStringConvertible {
    package enum Class: String, Sendable, Codable { case elf32, elf64 }
    package enum Endianness: String, Sendable, Codable { case little, big }

    package let elfClass: Class
    package let endianness: Endianness
    /// `e_machine` (62 is x86-64, 3 is i386, 183 is AArch64, 21 is PowerPC64...).
    package let machine: UInt16

    package init(elfClass: Class, endianness: Endianness, machine: UInt16) {
        self.elfClass = elfClass
        self.endianness = endianness
        self.machine = machine
    }

    package var description: String {
        "\(elfClass == .elf64 ? "ELF64" : "ELF32") \(endianness)-endian \(ELFTarget.machineName(machine))"
    }

    static func machineName(_ machine: UInt16) -> String {
        switch machine {
        case ELFMachine.x86_64: "x86-64"
        case ELFMachine.i386: "i386"
        case ELFMachine.aarch64: "AArch64"
        case ELFMachine.arm: "ARM"
        case ELFMachine.ppc: "PowerPC"
        case ELFMachine.ppc64: "PowerPC64"
        case ELFMachine.s390: "S/390"
        case ELFMachine.riscv: "RISC-V"
        default: "machine \(machine)"
        }
    }
}

/// The `e_machine` values the loader tables in this module know about.
enum ELFMachine {
    static let i386: UInt16 = 3
    static let ppc: UInt16 = 20
    static let ppc64: UInt16 = 21
    static let s390: UInt16 = 22
    static let arm: UInt16 = 40
    static let x86_64: UInt16 = 62
    static let aarch64: UInt16 = 183
    static let riscv: UInt16 = 243
}
