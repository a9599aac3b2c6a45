package importer

// Template is the file the upload page offers to download: the header
// with every column, a new site in Nuevo León with two services, and a
// site abroad.
const Template = "\uFEFF" + `sitio,direccion,direccion_2,ciudad,codigo_postal,estado,region,pais,latitud,longitud,llave_de_servicio,categoria,producto,cuenta_facturacion,estatus,fecha_activacion
Matriz Monterrey,Av. Constitución 100,Centro,Monterrey,64000,Nuevo León,,MX,25.6866,-100.3161,MTY-INT-0001,Conectividad,Internet dedicado 1 Gbps,100200300,Activo,2024-05-17
Matriz Monterrey,,,,,,,,,,MTY-TEL-0002,Telco,Troncal SIP 30 canales,100200300,Activo,17/05/2024
Oficina Austin,Congress Ave 1,,Austin,78701,,Texas,US,,,AUS-SEC-0003,Ciberseguridad,Firewall administrado,100200300,En activación,
`
